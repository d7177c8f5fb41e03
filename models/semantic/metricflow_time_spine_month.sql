{{ coarser_time_spine('month') }}
