{#- One row per customer and reported period (calendar month, quarter or year) in which the
    customer is active at the start, active at the end, or orders: int_customer_months
    rolled up, so the spells are read once for every period type. A period [t0, t1) is a run
    of whole months, so the customer is active at t0 when active at the start of its first
    month, and at t1 when active at the end of its last month; a customer active at either
    boundary, or ordering in the period, has a row for that month in int_customer_months.
      is_new          first completed order in the period and active at t1 (N);
      is_lost         active at t0, not at t1 (L);
      is_reactivated  active at t1, not at t0, first order before the period (R);
    so E = S - L + N + R. A customer whose first order falls in the period but who is no
    longer active at t1 (a year, a 31-day window) is in neither S nor E: they count in the
    period's orders and purchasing customers only. -#}
with

customer_months as (

    select * from {{ ref('int_customer_months') }}

),

periods as (

    select * from {{ ref('int_period_spine') }}

),

month_periods as (

    {#- Each customer-month once per period type, with the period that holds it. -#}
    {%- for period_type, length_months in period_types() %}
        select
            customer_id,
            '{{ period_type }}' as period_type,
            {{ period_of(period_type, 'month') }} as period_start,
            month,
            is_active_at_start,
            is_active_at_end,
            completed_orders,
            revenue,
            cohort_month

        from customer_months
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

rolled_up as (

    select
        month_periods.customer_id,
        month_periods.period_type,
        month_periods.period_start,
        max(periods.period_end) as period_end,
        max(month_periods.cohort_month) as cohort_month,
        max(
            case
                when month_periods.month = month_periods.period_start and month_periods.is_active_at_start then 1 else 0
            end
        ) = 1 as is_active_at_start,
        max(
            case when month_periods.month = periods.last_month and month_periods.is_active_at_end then 1 else 0 end
        ) = 1 as is_active_at_end,
        cast(sum(month_periods.completed_orders) as {{ type_count() }}) as completed_orders,
        {#- One customer's year stays far below 10^16: narrow money. -#}
        
        cast(sum(month_periods.revenue) as {{ type_money() }}) as revenue

    from month_periods
    inner join periods
        on
            month_periods.period_type = periods.period_type
            and month_periods.period_start = periods.period_start
    group by month_periods.customer_id, month_periods.period_type, month_periods.period_start

),

flagged as (

    select
        customer_id,
        period_type,
        period_start,
        period_end,
        is_active_at_start,
        is_active_at_end,
        completed_orders,
        revenue,
        cohort_month >= period_start and cohort_month < period_end as has_first_order

    from rolled_up

),

final as (

    select
        customer_id,
        period_type,
        period_start,
        period_end,
        is_active_at_start,
        is_active_at_end,
        has_first_order,
        has_first_order and is_active_at_end as is_new,
        is_active_at_start and not is_active_at_end as is_lost,
        is_active_at_end and not is_active_at_start and not has_first_order as is_reactivated,
        completed_orders,
        revenue

    from flagged

)

select * from final
