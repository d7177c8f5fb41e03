-- Completed orders and revenue agree between marts.orders, marts.customers and
-- metrics.sales_monthly (the latter over complete months only). Returns a row per mismatch.
with

orders as (

    select * from {{ ref('orders') }}

),

customers as (

    select * from {{ ref('customers') }}

),

sales as (

    select * from {{ ref('sales_monthly') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

order_totals as (

    select
        count(*) as completed_orders,
        coalesce(sum(amount), 0) as revenue
    from orders
    where is_completed

),

reported_range as (

    {#- The reported months are consecutive: one range, not a join per month. -#}
    select
        min(month) as first_month,
        max(next_month) as end_month
    from months

),

reported_order_totals as (

    select
        count(*) as completed_orders,
        coalesce(sum(orders.amount), 0) as revenue
    from orders
    cross join reported_range
    where
        orders.is_completed
        and orders.ordered_at >= reported_range.first_month
        and orders.ordered_at < reported_range.end_month

),

customer_totals as (

    select
        coalesce(sum(completed_orders), 0) as completed_orders,
        coalesce(sum(revenue), 0) as revenue
    from customers

),

sales_totals as (

    select
        coalesce(sum(orders), 0) as completed_orders,
        coalesce(sum(revenue), 0) as revenue
    from sales

),

comparisons as (

    select
        'orders vs customers' as comparison,
        order_totals.completed_orders as left_orders,
        customer_totals.completed_orders as right_orders,
        order_totals.revenue as left_revenue,
        customer_totals.revenue as right_revenue
    from order_totals
    cross join customer_totals

    union all

    select
        'orders in complete months vs sales_monthly' as comparison,
        reported_order_totals.completed_orders as left_orders,
        sales_totals.completed_orders as right_orders,
        reported_order_totals.revenue as left_revenue,
        sales_totals.revenue as right_revenue
    from reported_order_totals
    cross join sales_totals

)

select *
from comparisons
where left_orders <> right_orders or left_revenue <> right_revenue
