{#- Relation `semantic.customer_periods`, read by the semantic layer and by
    metrics.retention_by_segment: one row per customer and reported period (calendar month,
    quarter or year) in which the customer is active at the start, active at the end, or
    orders, with a single-column key: int_customer_months rolled up, so the spells are read
    once for every period type. It is computed here, not copied from an intermediate table
    (decision log D54): a table of its own, so that a failed build puts back the last
    successful version (D35) and MetricFlow never reads a half-built table.
    A period [t0, t1) is a run of whole months, so the customer is active at t0 when active
    at the start of its first month, and at t1 when active at the end of its last month; a
    customer active at either boundary, or ordering in the period, has a row for that month
    in int_customer_months. Quarters are rolled up from months, years from quarters (a
    cascade: each roll-up reads the smaller table before it).
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

months as (

    select
        customer_id,
        month as period_start,
        is_active_at_start,
        is_active_at_end,
        completed_orders,
        revenue,
        cohort_month

    from customer_months

),

quarters as (

    {{ roll_up_periods('months', 'quarter', 'month') }}

),

years as (

    {{ roll_up_periods('quarters', 'year', 'quarter') }}

),

rolled_up as (

    select
        'month' as period_type,
        months.*
    from months
    union all
    select
        'quarter' as period_type,
        quarters.*
    from quarters
    union all
    select
        'year' as period_type,
        years.*
    from years

),

complete as (

    {#- Only the reported periods: a roll-up of the months of an incomplete quarter or year
        is left out. -#}
    select
        rolled_up.customer_id,
        rolled_up.period_type,
        rolled_up.period_start,
        periods.period_end,
        rolled_up.is_active_at_start,
        rolled_up.is_active_at_end,
        rolled_up.completed_orders,
        rolled_up.revenue,
        rolled_up.cohort_month >= rolled_up.period_start and rolled_up.cohort_month < periods.period_end
            as has_first_order

    from rolled_up
    inner join periods
        on
            rolled_up.period_type = periods.period_type
            and rolled_up.period_start = periods.period_start

),

final as (

    select
        {{ dbt.concat([
            'customer_id', "'|'", 'period_type', "'|'", 'cast(period_start as ' ~ dbt.type_string() ~ ')'
        ]) }} as customer_period_key,
        customer_id,
        period_type,
        period_start,
        period_end,
        is_active_at_start,
        is_active_at_end,
        has_first_order and is_active_at_end as is_new,
        is_active_at_start and not is_active_at_end as is_lost,
        is_active_at_end and not is_active_at_start and not has_first_order as is_reactivated,
        completed_orders,
        revenue

    from complete

)

select * from final
