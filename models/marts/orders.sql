{#- Built only once every input has been screened and reconciled (audit), so that a build
    on broken input stops before replacing any public relation. Incremental (D28): a run
    replaces the orders of each changed customer from the instant their orders changed on,
    numbering them on from the orders kept. -#}
{{ config(**by_changed_customer(changed_since=['ordered_at', 'changed_from_at'])) }}
-- depends_on: {{ ref('input_reconciliation') }}
-- depends_on: {{ ref('int_build_settings') }}
-- depends_on: {{ ref('int_changed_customers') }}

with

orders as (

    select * from {{ ref('int_orders_screened') }}

),

observed as (

    {#- Accepted orders only: the others, future rows included, are in audit.rejected_rows. -#}
    select orders.*
    from orders
    {{ join_changed_customers('orders.customer_id') }}
    where
        orders.rejection_reason is null
        and {{ is_changed_since('orders.ordered_at', 'changed_from_at') }}

),

kept_orders as (

    {#- Completed orders each customer keeps from the last build: none in a full build. -#}
    {%- if is_incremental() %}
        select
            kept.customer_id,
            max(kept.customer_order_number) as kept_completed_orders
        from {{ this }} as kept
        inner join {{ ref('int_changed_customers') }} as changes
            on kept.customer_id = changes.customer_id
        where kept.ordered_at < changes.changed_from_at
        group by kept.customer_id
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as customer_id,
            cast(0 as integer) as kept_completed_orders
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
