{#- The reported months: from the month of the first completed order to the last complete
    month (a month is complete when its end, the first day of the next month, is on or
    before as_of_date). Empty when no month is complete yet. -#}
with

orders as (

    select * from {{ ref('orders') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

bounds as (

    select
        min({{ month_of('orders.ordered_at') }}) as first_month,
        {{ last_complete_month('max(as_of.as_of_date)') }} as last_month

    from orders
    cross join as_of
    where orders.is_completed

),

months as (

    {{ expand_months('bounds') }}

),

final as (

    select
        month,
        next_month

    from months

)

select * from final
