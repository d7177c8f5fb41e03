{#- Public relation marts.orders: every accepted order, a copy of int_orders (where the order
    grain is kept up to date incrementally). A table of its own, so that a failed build can
    put back the last successful version (decision log D35). -#}
with

orders as (

    select * from {{ ref('int_orders') }}

),

final as (

    select
        order_id,
        customer_id,
        status,
        amount,
        customer_order_number,
        is_completed,
        ordered_at

    from orders

)

select * from final
