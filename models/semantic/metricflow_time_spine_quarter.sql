{{ coarser_time_spine('quarter') }}
