-- The month-0 cohort sizes add up to the purchasers whose first completed order falls in a
-- reported (complete) month; every such cohort's month-0 size matches new_customers of
-- metrics.sales_monthly and metrics.retention_monthly for that month.
with

cohorts as (

    select * from {{ ref('cohort_retention') }}
    where months_since_first_order = 0

),

customers as (

    select * from {{ ref('customers') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

sales as (

    select * from {{ ref('sales_monthly') }}

),

retention as (

    select * from {{ ref('retention_monthly') }}

),

purchasers as (

    select count(*) as purchasers
    from customers
    inner join months
        on customers.cohort_month = months.month

),

cohort_total as (

    select coalesce(sum(cohort_customers), 0) as cohort_customers
    from cohorts

),

total_mismatch as (

    select
        cast(null as date) as month,
        purchasers.purchasers as expected_count,
        cohort_total.cohort_customers as actual_count
    from purchasers
    cross join cohort_total
    where purchasers.purchasers <> cohort_total.cohort_customers

),

monthly_mismatch as (

    select
        sales.month,
        sales.new_customers as expected_count,
        coalesce(cohorts.cohort_customers, 0) as actual_count
    from sales
    inner join retention
        on sales.month = retention.month
    left join cohorts
        on sales.month = cohorts.cohort_month
    where
        sales.new_customers <> coalesce(cohorts.cohort_customers, 0)
        or sales.new_customers <> retention.new_customers

)

select * from total_mismatch
union all
select * from monthly_mismatch
