{#- A MetricFlow time spine of a coarser grain (week, month, quarter, year): the distinct
    starts of the periods of that grain holding a day of the daily spine
    metricflow_time_spine, as date_<grain>. One spine per grain, so that a query at that
    grain joins periods, not days (decision log D42). -#}
{% macro coarser_time_spine(grain) -%}
with

days as (

    select * from {{ ref('metricflow_time_spine') }}

),

final as (

    select distinct {{ period_of(grain, 'date_day') }} as date_{{ grain }}
    from days

)

select * from final
{%- endmacro %}
