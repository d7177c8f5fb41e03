{#- The end of observation, exclusive: the as_of_date var, or else the day after the latest
    order date among the orders that passed every check (any status). One row. Every
    time-relative number reads it from here, so results depend on the data and the vars,
    never on the clock. -#}
with

orders as (

    select * from {{ ref('stg_orders') }}

),

latest as (

    select max(order_date) as latest_order_date
    from orders
    where rejection_reason is null and row_version <> 'previous'

),

final as (

    select
        coalesce(
            {{ as_of_date_var() }},
            {{ add_days(1, 'latest_order_date') }}
        ) as as_of_date

    from latest

)

select * from final
