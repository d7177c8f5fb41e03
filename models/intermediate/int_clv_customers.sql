{#- One row per customer: what the CLV needs over the trailing year
    Y = [as_of_date - 365 days, as_of_date). -#}
with

customers as (

    select * from {{ ref('customers') }}

),

orders as (

    select * from {{ ref('int_orders') }}

),

spells as (

    select * from {{ ref('int_customer_activity_spells') }}

),

as_of as (

    select
        as_of_date,
        {{ add_days(-365, 'as_of_date') }} as year_start_date

    from {{ ref('int_as_of_date') }}

),

year_orders as (

    select
        orders.customer_id,
        cast(count(*) as {{ type_count() }}) as orders_in_year,
        cast(sum(orders.amount) as {{ type_money() }}) as revenue_in_year

    from orders
    cross join as_of
    where
        orders.is_completed
        and orders.ordered_at >= as_of.year_start_date
    group by orders.customer_id

),

active_at_year_start as (

    select distinct spells.customer_id
    from spells
    cross join as_of
    where as_of.year_start_date between spells.active_from_date and spells.active_until_date

),

final as (

    select
        customers.customer_id,
        customers.acquisition_channel,
        customers.country,
        coalesce(year_orders.orders_in_year, 0) as orders_in_year,
        cast(coalesce(year_orders.revenue_in_year, 0) as {{ type_money() }}) as revenue_in_year,
        customers.lifespan_days,
        active_at_year_start.customer_id is not null as is_active_at_year_start,
        customers.is_active,
        customers.completed_orders > 0 as is_purchaser,
        coalesce({{ to_date('customers.first_order_at') }} >= as_of.year_start_date, false) as is_new_in_year

    from customers
    cross join as_of
    left join year_orders
        on customers.customer_id = year_orders.customer_id
    left join active_at_year_start
        on customers.customer_id = active_at_year_start.customer_id

)

select * from final
