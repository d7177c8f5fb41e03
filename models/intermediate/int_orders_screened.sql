{{ config(materialized='view') }}
{#- stg_orders with the last check, which needs as_of_date: an order at or after it is a
    future row and is quarantined. Accepted orders (null rejection_reason) feed marts.orders.
    A view: one cheap pass over stg_orders, read by marts.orders and the audit. -#}
with

orders as (

    select * from {{ ref('stg_orders') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        {{ future_row_screening('orders', 'ordered_at', 'orders') }},
        orders.status,
        orders.amount,
        orders.is_completed,
        orders.ordered_at

    from orders
    cross join as_of

)

select * from final
