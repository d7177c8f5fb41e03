{#- Built only once every input has been screened and reconciled (audit), so that a build
    on broken input stops before replacing any public relation. Incremental (D28): a run
    replaces the orders of the customers whose orders changed, renumbered. -#}
{{ config(**by_changed_customer()) }}
-- depends_on: {{ ref('input_reconciliation') }}
-- depends_on: {{ ref('int_build_settings') }}
-- depends_on: {{ ref('int_changed_customers') }}

with

orders as (

    select * from {{ ref('int_orders_screened') }}

),

observed as (

    {#- Accepted orders only: the others, future rows included, are in audit.rejected_rows. -#}
    select *
    from orders
    where
        rejection_reason is null
        and {{ is_changed('customer_id') }}

),

final as (

    select
        order_id,
        customer_id,
        status,
        amount,
        case
            when is_completed
                then cast(row_number() over (
                    partition by customer_id, is_completed
                    order by ordered_at, order_id
                ) as integer)
        end as customer_order_number,
        is_completed,
        ordered_at

    from observed

)

select * from final
