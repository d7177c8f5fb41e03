{#- The reported months: from the month of the first completed order to the last complete
    month (a month is complete when its end, the first day of the next month, is on or
    before as_of_date). Empty when no month is complete yet. -#}
with

order_summary as (

    select * from {{ ref('int_customer_order_summary') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

bounds as (

    {#- The first cohort month is the month of the first completed order. -#}
    select
        {{ month_of('min(order_summary.first_order_at)') }} as first_month,
        {{ last_complete_month('max(as_of.as_of_date)') }} as last_month

    from order_summary
    cross join as_of

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
