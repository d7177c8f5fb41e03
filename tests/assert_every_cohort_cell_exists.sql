-- Every (cohort, month) cell from the cohort's month to the last complete month exists in
-- metrics.cohort_retention, and no other cell does.
with

cohort_retention as (

    select * from {{ ref('cohort_retention') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

cohorts as (

    select distinct cohort_month
    from cohort_retention

),

expected_cells as (

    select
        cohorts.cohort_month,
        {{ months_between('cohorts.cohort_month', 'months.month') }} as months_since_first_order
    from cohorts
    inner join months
        on cohorts.cohort_month <= months.month

),

missing as (

    select
        expected_cells.cohort_month,
        expected_cells.months_since_first_order,
        'missing' as problem
    from expected_cells
    left join cohort_retention
        on
            expected_cells.cohort_month = cohort_retention.cohort_month
            and expected_cells.months_since_first_order = cohort_retention.months_since_first_order
    where cohort_retention.cohort_month is null

),

unexpected as (

    select
        cohort_retention.cohort_month,
        cohort_retention.months_since_first_order,
        'unexpected' as problem
    from cohort_retention
    left join expected_cells
        on
            cohort_retention.cohort_month = expected_cells.cohort_month
            and cohort_retention.months_since_first_order = expected_cells.months_since_first_order
    where expected_cells.cohort_month is null

)

select * from missing
union all
select * from unexpected
