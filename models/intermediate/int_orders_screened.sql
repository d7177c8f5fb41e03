{{ config(materialized='view') }}
{#- stg_orders with the last check, which needs as_of_date: an order at or after it is a
    future row and is quarantined. Accepted orders (null rejection_reason) feed marts.orders.
    A future row's raw_row shows its values as typed (staging keeps raw text only for the rows
    it rejects). A view: one cheap pass over stg_orders, read by marts.orders and the audit. -#}
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
        case
            when orders.rejection_reason is null and orders.ordered_at >= as_of.as_of_date then 'ordered_at'
            else orders.rejected_column
        end as rejected_column,
        case
            when orders.rejection_reason is null and orders.ordered_at >= as_of.as_of_date
                then 'at_or_after_as_of_date'
            else orders.rejection_reason
        end as rejection_reason,
        orders.status,
        case
            when orders.rejection_reason is null and orders.ordered_at >= as_of.as_of_date
                then {{ raw_row(input_column_names('orders'), 'orders.', '') }}
            else orders.raw_row
        end as raw_row,
        orders.amount,
        orders.is_completed,
        orders.ordered_at

    from orders
    cross join as_of

)

select * from final
