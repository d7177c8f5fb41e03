{#- One row per customer and reported month in which the customer is active at the start,
    active at the end, or orders: the customer-month fact behind sales, retention and
    cohorts. Each row falls in exactly one month_status:
      new          first completed order in the month;
      reactivated  not active at the start, not new, ordered in the month;
      lost         active at the start, not at the end;
      retained     active at the start and at the end.
    (With W >= 31 days every customer who orders in a month is active at its end, so these
    four cover every row and E = S - L + N + R.)
    Incremental (D35): a build replaces the rows of the customers whose orders changed from
    the month they changed in, adds every customer's rows of the months completed since the
    last build, and drops the months that are no longer complete (as_of_date moved back). -#}
{{ config(**by_changed_customer(changed_since=['month', 'changed_from_month'], months_up_to='int_month_spine')) }}

with

orders as (

    select * from {{ ref('int_orders') }}

),

changed_customers as (  -- noqa: ST03

    {# Read only by an incremental build; a full build recomputes every customer. #}
    select * from {{ ref('int_changed_customers') }}

),

spells as (

    select * from {{ ref('int_customer_activity_spells') }}

),

order_summary as (

    select * from {{ ref('int_customer_order_summary') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

first_orders as (

    select
        customer_id,
        {{ month_of('first_order_at') }} as cohort_month

    from order_summary
    where first_order_at is not null

),

monthly_orders as (

    select
        orders.customer_id,
        {{ month_of('orders.ordered_at') }} as month,
        cast(count(*) as {{ type_count() }}) as completed_orders,
        {#- One customer's month stays far below 10^16: narrow money until the final sum. -#}
        cast(sum(orders.amount) as {{ type_money() }}) as revenue

    from orders
    {{ join_changed_customers('orders.customer_id') }}
    where
        orders.is_completed
        and {{ is_changed_since(
            'orders.ordered_at', 'changed_from_month', also=is_after_last_month_built('orders.ordered_at')
        ) }}
    group by orders.customer_id, {{ month_of('orders.ordered_at') }}

),

spell_months as (

    {#- Each spell with every reported month it is active at the start or at the end of: the
        months whose [start, end] meets the spell. (A spell lasts W >= 31 days, so one that
        meets a month always holds its start or its end.) -#}
    select
        spells.customer_id,
        months.month,
        case when months.month between spells.active_from_date and spells.active_until_date then 1 else 0 end
            as is_active_at_start,
        case when months.next_month between spells.active_from_date and spells.active_until_date then 1 else 0 end
            as is_active_at_end

    from spells
    inner join months
        on
            spells.active_from_date <= months.next_month
            and spells.active_until_date >= months.month
    {{ join_changed_customers('spells.customer_id') }}
    where {{ is_changed_since('months.month', 'changed_from_month', also=is_after_last_month_built('months.month')) }}

),

events as (

    select
        customer_id,
        month,
        is_active_at_start,
        is_active_at_end,
        cast(0 as {{ type_count() }}) as completed_orders,
        cast(0 as {{ type_money() }}) as revenue
    from spell_months

    union all

    select
        monthly_orders.customer_id,
        monthly_orders.month,
        0 as is_active_at_start,
        0 as is_active_at_end,
        monthly_orders.completed_orders,
        monthly_orders.revenue
    from monthly_orders
    inner join months
        on monthly_orders.month = months.month

),

customer_months as (

    select
        customer_id,
        month,
        cast(sum(completed_orders) as {{ type_count() }}) as completed_orders,
        {#- Narrow money: one customer's month stays far below 10^16 (a larger sum fails the
            cast loudly), and sums of narrow decimals are several times faster downstream. -#}
        cast(sum(revenue) as {{ type_money() }}) as revenue,
        max(is_active_at_start) = 1 as is_active_at_start,
        max(is_active_at_end) = 1 as is_active_at_end

    from events
    group by customer_id, month

),

flagged as (

    select
        customer_months.customer_id,
        customer_months.completed_orders,
        customer_months.revenue,
        customer_months.is_active_at_start,
        customer_months.is_active_at_end,
        first_orders.cohort_month = customer_months.month as is_new,
        customer_months.month,
        first_orders.cohort_month

    from customer_months
    inner join first_orders
        on customer_months.customer_id = first_orders.customer_id

),

final as (

    select
        customer_id,
        case
            when is_new then 'new'
            when not is_active_at_start and completed_orders > 0 then 'reactivated'
            when is_active_at_start and not is_active_at_end then 'lost'
            when is_active_at_start and is_active_at_end then 'retained'
        end as month_status,
        completed_orders,
        revenue,
        is_active_at_start,
        is_active_at_end,
        is_new,
        is_active_at_start and not is_active_at_end as is_lost,
        not is_active_at_start and not is_new and completed_orders > 0 as is_reactivated,
        month,
        cohort_month

    from flagged

)

select * from final
