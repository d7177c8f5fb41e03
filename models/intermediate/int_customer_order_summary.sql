{#- One row per customer with an accepted order (any status): their completed orders,
    revenue (narrow decimal: one customer's revenue stays far below 10^16) and first and
    last completed order. marts.customers reads this instead of every order. Incremental
    (D35): a build replaces the rows of the customers whose orders changed. -#}
{{ config(**by_changed_customer()) }}

with

orders as (

    select * from {{ ref('int_orders') }}

),

changed_customers as (  -- noqa: ST03

    {# Read only by an incremental build; a full build recomputes every customer. #}
    select * from {{ ref('int_changed_customers') }}

),

final as (

    select
        customer_id,
        cast({{ count_where('is_completed') }} as {{ type_count() }}) as completed_orders,
        cast(sum(case when is_completed then amount else 0 end) as {{ type_money() }}) as revenue,
        min(case when is_completed then ordered_at end) as first_order_at,
        max(case when is_completed then ordered_at end) as last_order_at

    from orders
    where {{ is_changed('customer_id') }}
    group by customer_id

)

select * from final
