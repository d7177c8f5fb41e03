{{ coarser_time_spine('week') }}
