{{ config(materialized='view') }}
{#- stg_orders measured against the observation window: every input order with its
    row_status, accepted (feeds marts.orders), quarantined (audit.rejected_rows) or
    outside_window (at or after as_of_date). A view: one cheap pass over stg_orders. -#}
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
        {{ row_status('orders', 'ordered_at') }} as row_status,
        orders.rejected_column,
        orders.rejection_reason,
        orders.raw_row,
        orders.status,
        orders.amount,
        orders.is_completed,
        orders.ordered_at

    from orders
    cross join as_of
    {#- The live rows: stg_orders also keeps, until the next build, the versions the last
        incremental build replaced (for int_changed_customers). #}
    where orders.row_version <> 'previous'

)

select * from final
