{#- Activity spells: the stretches of days in which a customer is active.
    A customer is active at instant t (a midnight) when they have a completed order in
    [t - W days, t). An order on date d therefore makes them active from d + 1 to d + W
    inclusive; orders less than W + 1 days apart chain into one spell. Spells of one
    customer never overlap, so counting spells that contain t counts customers.
    Incremental (D35): a build replaces the spells of the customers whose orders changed. -#}
{{ config(**by_changed_customer()) }}
{%- set window_days = churn_window_days() %}

with

orders as (

    select * from {{ ref('int_orders') }}

),

changed_customers as (  -- noqa: ST03

    {# Read only by an incremental build; a full build recomputes every customer. #}
    select * from {{ ref('int_changed_customers') }}

),

order_days as (

    select distinct
        customer_id,
        {{ to_date('ordered_at') }} as order_date

    from orders
    where is_completed and {{ is_changed('customer_id') }}

),

with_previous as (

    select
        customer_id,
        order_date,
        lag(order_date) over (partition by customer_id order by order_date) as previous_order_date

    from order_days

),

flagged as (

    select
        customer_id,
        order_date,
        case
            when previous_order_date is null then 1
            when {{ days_between('previous_order_date', 'order_date') }} > {{ window_days }} then 1
            else 0
        end as starts_spell

    from with_previous

),

numbered as (

    select
        customer_id,
        order_date,
        sum(starts_spell) over (
            partition by customer_id
            order by order_date
            rows between unbounded preceding and current row
        ) as spell_number

    from flagged

),

spells as (

    select
        customer_id,
        cast(spell_number as integer) as spell_number,
        cast(count(*) as {{ type_count() }}) as order_days,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date

    from numbered
    group by customer_id, spell_number

),

final as (

    select
        customer_id,
        spell_number,
        order_days,
        first_order_date,
        last_order_date,
        {{ add_days(1, 'first_order_date') }} as active_from_date,
        {{ add_days(window_days, 'last_order_date') }} as active_until_date

    from spells

)

select * from final
