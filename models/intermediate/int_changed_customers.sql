{#- The customers whose orders an incremental build recomputes: every customer named on a
    staging row (accepted or not) of the latest staging batch, with the earliest timestamp
    among those rows. A batch holds all the rows of each order_id it touches, so a customer
    who loses an order to a new conflicting copy is here too. Nothing of a customer before
    changed_from_at can change: incremental models downstream replace these customers' rows
    from that instant (or its month) on, or all their rows (D28). -#}
with

orders as (

    select * from {{ ref('stg_orders') }}

),

latest_batch as (

    select max(load_batch) as load_batch
    from orders

),

final as (

    select
        orders.customer_id,
        {#- A row without a readable timestamp is quarantined and changes no accepted order;
            should a customer have only such rows, all their rows are recomputed. -#}
        coalesce(min(orders.ordered_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as changed_from_at,
        {{ month_of("coalesce(min(orders.ordered_at), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ "))") }}
            as changed_from_month

    from orders
    inner join latest_batch
        on orders.load_batch = latest_batch.load_batch
    where orders.customer_id is not null
    group by orders.customer_id

)

select * from final
