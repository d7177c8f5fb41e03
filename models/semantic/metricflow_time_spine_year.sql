{{ coarser_time_spine('year') }}
