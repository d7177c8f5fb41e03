{#- The customers an incremental build recomputes: every customer named on a row that the
    build re-screened in stg_orders (row_version 'changed') or on a version it replaced
    ('previous'), accepted or quarantined, with the earliest timestamp among those rows.
    The rows of a changed order id travel together, so a customer who loses an order (to a
    correction, a deletion or a new conflicting copy) is here as well as one who gains it.
    Nothing of a customer before changed_from_at can change: the per-customer models replace
    these customers' rows from that instant (or its month) on, or all of them (D35). Empty in
    a full build, which recomputes everyone. -#}
with

orders as (

    select * from {{ ref('stg_orders') }}

),

final as (

    select
        customer_id,
        {#- A row without a readable timestamp changes no accepted order; should a customer
            have only such rows, all their rows are recomputed. -#}
        coalesce(min(ordered_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as changed_from_at,
        {{ month_of("coalesce(min(ordered_at), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ "))") }}
            as changed_from_month

    from orders
    where row_version in ('changed', 'previous') and customer_id is not null
    group by customer_id

)

select * from final
