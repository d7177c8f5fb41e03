{#- The reported months: from the month of the first completed order to the last complete
    month (a month is complete when its end, the first day of the next month, is on or
    before as_of_date). Empty when no month is complete yet. Built from a series of month
    offsets (dbt.generate_series), so it needs no recursive CTE: up to 1,200 months. -#}
with

orders as (

    select * from {{ ref('orders') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

month_offsets as (

    select cast(generated_number - 1 as integer) as month_offset
    from ({{ dbt.generate_series(1200) }}) as series

),

bounds as (

    select
        min({{ month_of('orders.ordered_at') }}) as first_month,
        {{ add_months(-1, month_of('max(as_of.as_of_date)')) }} as last_month

    from orders
    cross join as_of
    where orders.is_completed

),

months as (

    select
        {{ add_months('month_offsets.month_offset', 'bounds.first_month') }} as month,
        {{ add_months('month_offsets.month_offset + 1', 'bounds.first_month') }} as next_month,
        bounds.last_month

    from bounds
    cross join month_offsets

),

final as (

    select
        month,
        next_month

    from months
    where month <= last_month

)

select * from final
