{#- stg_orders with the last check, which needs as_of_date: an order at or after it is a
    future row and is quarantined. Accepted orders (null rejection_reason) feed marts.orders. -#}
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
        orders.raw_row,
        orders.amount,
        orders.is_completed,
        orders.ordered_at

    from orders
    cross join as_of

)

select * from final
