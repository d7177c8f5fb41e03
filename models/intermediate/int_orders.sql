{#- Every accepted order (placed before as_of_date, any status), completed orders numbered per
    customer in time order: the order grain that the per-customer models and marts.orders
    read. Built only once every input has been screened and reconciled (audit), so that a
    build on broken input stops before any public relation is replaced.
    Incremental (D35): a build replaces the orders of each changed customer from the instant
    their orders changed on, numbering them on from the completed orders kept. -#}
{{ config(**by_changed_customer(changed_since=['ordered_at', 'changed_from_at'])) }}
-- depends_on: {{ ref('input_reconciliation') }}

with

orders as (

    select * from {{ ref('int_orders_screened') }}

),

changed_customers as (  -- noqa: ST03

    {# Read only by an incremental build; a full build recomputes every customer. #}
    select * from {{ ref('int_changed_customers') }}

),

observed as (

    select orders.*
    from orders
    {{ join_changed_customers('orders.customer_id') }}
    where
        orders.row_status = 'accepted'
        and {{ is_changed_since('orders.ordered_at', 'changed_from_at') }}

),

kept_orders as (

    {#- Completed orders each changed customer keeps from the last build: none in a full build. -#}
    {%- if is_incremental() %}
        select
            kept.customer_id,
            max(kept.customer_order_number) as kept_completed_orders
        from {{ this }} as kept
        inner join changed_customers
            on kept.customer_id = changed_customers.customer_id
        where kept.ordered_at < changed_customers.changed_from_at
        group by kept.customer_id
    {%- else %}
        select
            customer_id,
            cast(0 as integer) as kept_completed_orders
        from changed_customers
        where 1 = 0
    {%- endif %}

),

final as (

    select
        observed.order_id,
        observed.customer_id,
        observed.status,
        observed.amount,
        case
            when observed.is_completed
                then cast(coalesce(kept_orders.kept_completed_orders, 0) + row_number() over (
                    partition by observed.customer_id, observed.is_completed
                    order by observed.ordered_at, observed.order_id
                ) as integer)
        end as customer_order_number,
        observed.is_completed,
        observed.ordered_at

    from observed
    left join kept_orders
        on observed.customer_id = kept_orders.customer_id

)

select * from final
