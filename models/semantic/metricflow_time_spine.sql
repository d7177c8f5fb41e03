{#- MetricFlow's daily time spine: every day of the reported months (int_month_spine, from
    the month of the first completed order to the last complete month), so that a metric
    joined to the spine reports exactly the months of the metrics relations, empty ones
    included. -#}
with

months as (

    select * from {{ ref('int_month_spine') }}

),

day_offsets as (

    select cast(generated_number - 1 as integer) as day_offset
    from ({{ dbt.generate_series(31) }}) as series

),

days as (

    select
        {{ add_days('day_offsets.day_offset', 'months.month') }} as date_day,
        months.next_month

    from months
    cross join day_offsets

),

final as (

    select date_day
    from days
    where date_day < next_month

)

select * from final
