with

customer_months as (

    select * from {{ ref('int_customer_months') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

cohorts as (

    select
        cohort_month,
        cast(count(*) as {{ type_count() }}) as cohort_customers

    from customer_months
    where is_new
    group by cohort_month

),

cells as (

    {#- Every (cohort, month) pair from the cohort's first month to the last complete
        month, so that months without any active customer still get a row. -#}
    select
        cohorts.cohort_month,
        months.month,
        cohorts.cohort_customers

    from cohorts
    inner join months
        on cohorts.cohort_month <= months.month

),

activity as (

    select
        cohort_month,
        month,
        {{ count_where('completed_orders > 0') }} as active_customers,
        cast(sum(revenue) as {{ type_money_sum() }}) as revenue

    from customer_months
    group by cohort_month, month

),

joined as (

    select
        cells.cohort_month,
        {{ months_between('cells.cohort_month', 'cells.month') }} as months_since_first_order,
        cells.cohort_customers,
        coalesce(activity.active_customers, 0) as active_customers,
        cast(coalesce(activity.revenue, 0) as {{ type_money_sum() }}) as revenue

    from cells
    left join activity
        on
            cells.cohort_month = activity.cohort_month
            and cells.month = activity.month

),

final as (

    select
        cohort_month,
        months_since_first_order,
        cohort_customers,
        active_customers,
        {{ safe_ratio('active_customers', 'cohort_customers') }} as retention_rate,
        revenue,
        {{ safe_ratio(
            'sum(revenue) over (partition by cohort_month order by months_since_first_order'
            ~ ' rows between unbounded preceding and current row)',
            'cohort_customers') }} as cumulative_revenue_per_customer,
        {{ safe_ratio(
            'revenue',
            'first_value(revenue) over (partition by cohort_month order by months_since_first_order'
            ~ ' rows between unbounded preceding and current row)') }} as revenue_retention_rate

    from joined

)

select * from final
