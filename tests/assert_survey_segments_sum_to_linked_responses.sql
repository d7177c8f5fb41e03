-- Each segment type of metrics.nps_by_segment, and metrics.churn_by_nps_category, account for
-- every customer-linked NPS response (respectively every customer with one) exactly once;
-- the monthly NPS totals add up to all NPS responses of complete months, anonymous included.
with

responses as (

    select * from {{ ref('survey_responses') }}
    where survey_type = 'nps'

),

by_segment as (

    select * from {{ ref('nps_by_segment') }}

),

by_category as (

    select * from {{ ref('churn_by_nps_category') }}

),

nps_monthly as (

    select * from {{ ref('nps_monthly') }}

),

months as (

    select * from {{ ref('int_survey_months') }}
    where survey_type = 'nps'

),

linked as (

    select
        count(*) as linked_responses,
        count(distinct customer_id) as linked_customers
    from responses
    where customer_id is not null

),

in_complete_months as (

    select count(*) as monthly_responses
    from responses
    inner join months
        on responses.responded_at >= months.month and responses.responded_at < months.next_month

),

segment_totals as (

    select
        segment_type,
        sum(responses) as responses
    from by_segment
    group by segment_type

),

problems as (

    select
        'nps_by_segment ' || segment_totals.segment_type as check_name,
        segment_totals.responses as actual_count,
        linked.linked_responses as expected_count
    from segment_totals
    cross join linked
    where segment_totals.responses <> linked.linked_responses

    union all

    select
        'churn_by_nps_category' as check_name,
        (select sum(by_category.customers) from by_category) as actual_count,
        linked.linked_customers as expected_count
    from linked
    where (select sum(by_category.customers) from by_category) <> linked.linked_customers

    union all

    select
        'nps_monthly' as check_name,
        (select coalesce(sum(nps_monthly.responses), 0) from nps_monthly) as actual_count,
        in_complete_months.monthly_responses as expected_count
    from in_complete_months
    where (select coalesce(sum(nps_monthly.responses), 0) from nps_monthly) <> in_complete_months.monthly_responses

)

select * from problems
