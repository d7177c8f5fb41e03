{#- The customers whose orders an incremental build recomputes: every customer named on a
    staging row (accepted or not) of the latest staging batch. A batch holds all the rows of
    each order_id it touches, so a customer who loses an order to a new conflicting copy is
    here too. Incremental models downstream (marts.orders, spells, order summaries,
    customer-months) replace exactly these customers' rows (D28). -#}
with

orders as (

    select * from {{ ref('stg_orders') }}

),

latest_batch as (

    select max(load_batch) as load_batch
    from orders

),

final as (

    select distinct orders.customer_id

    from orders
    inner join latest_batch
        on orders.load_batch = latest_batch.load_batch
    where orders.customer_id is not null

)

select * from final
