-- The engine's floor: one plain DuckDB script computing the project's public relations
-- straight from the input files, written the way an expert would for DuckDB alone (no
-- portability, no screening: the benchmark data is clean), with the default vars
-- (as_of_date = the day after the latest order, W = 365 days, margin 1, d = 0.10, cap 10).
-- bench/run.py replaces $DATA_DIR and checks that every relation equals the project's.

create schema if not exists marts;
create schema if not exists metrics;

create or replace temp table params as
select
    cast(max(cast(ordered_at as date)) + interval 1 day as date) as as_of_date,
    365 as window_days
from read_parquet('$DATA_DIR/orders.parquet');

create or replace temp table months as
with bounds as (
    select
        min(date_trunc('month', ordered_at))::date as first_month,
        (date_trunc('month', any_value(p.as_of_date)) - interval 1 month)::date as last_month
    from read_parquet('$DATA_DIR/orders.parquet'), params as p
    where lower(trim(status)) = 'completed'
)
select m::date as month, (m + interval 1 month)::date as next_month
from bounds, generate_series(first_month, last_month, interval 1 month) as g(m);

create or replace table marts.orders as
select
    order_id, customer_id, status, amount,
    case when is_completed then row_number() over (partition by customer_id, is_completed order by ordered_at, order_id)::integer end
        as customer_order_number,
    is_completed, ordered_at
from (
    select
        trim(order_id) as order_id, trim(customer_id) as customer_id, lower(trim(status)) as status,
        amount::decimal(18, 2) as amount, lower(trim(status)) = 'completed' as is_completed,
        ordered_at::timestamp as ordered_at
    from read_parquet('$DATA_DIR/orders.parquet')
);

create or replace temp table completed as
select customer_id, ordered_at, ordered_at::date as order_date, amount
from marts.orders where is_completed;

create or replace temp table spells as
select customer_id, min(order_date) + 1 as active_from, max(order_date) + (select window_days from params) as active_until
from (
    select *, sum(starts) over (partition by customer_id order by order_date) as spell
    from (
        select customer_id, order_date,
            coalesce(order_date - lag(order_date) over (partition by customer_id order by order_date) > (select window_days from params), true)::int as starts
        from (select distinct customer_id, order_date from completed)
    )
)
group by customer_id, spell;

create or replace table marts.survey_responses as
select
    trim(response_id) as response_id, nullif(trim(customer_id), '') as customer_id, lower(trim(survey_type)) as survey_type,
    case when lower(trim(survey_type)) = 'nps' then case when score >= 9 then 'promoter' when score >= 7 then 'passive' else 'detractor' end end
        as nps_category,
    score::integer as score, responded_at::timestamp as responded_at
from read_parquet('$DATA_DIR/survey_responses.parquet');

create or replace table marts.customers as
with
known as (
    select trim(customer_id) as customer_id, coalesce(nullif(lower(trim(acquisition_channel)), ''), 'unknown') as acquisition_channel,
        coalesce(nullif(upper(trim(country)), ''), 'unknown') as country
    from read_parquet('$DATA_DIR/customers.parquet')
),
ids as (
    select customer_id from known union select customer_id from marts.orders
    union select customer_id from marts.survey_responses where customer_id is not null
),
summary as (
    select customer_id, count(*) as completed_orders, sum(amount) as revenue, min(ordered_at) as first_order_at, max(ordered_at) as last_order_at
    from completed group by customer_id
),
measured as (
    select
        ids.customer_id, coalesce(known.acquisition_channel, 'unknown') as acquisition_channel,
        coalesce(known.country, 'unknown') as country,
        coalesce(s.completed_orders, 0) as completed_orders, coalesce(s.revenue, 0)::decimal(38, 2) as revenue,
        s.revenue / s.completed_orders as aov,
        (p.as_of_date - s.first_order_at::date)::integer as tenure_days,
        (p.as_of_date - s.last_order_at::date)::integer as recency_days,
        (s.last_order_at::date - s.first_order_at::date)::integer as lifespan_days,
        coalesce(s.last_order_at::date >= p.as_of_date - p.window_days, false) as is_active,
        date_trunc('month', s.first_order_at)::date as cohort_month, s.first_order_at, s.last_order_at
    from ids cross join params as p
    left join known using (customer_id) left join summary as s using (customer_id)
),
scored as (
    select
        customer_id,
        ceil(5 * cume_dist() over (order by recency_days desc))::integer as r,
        ceil(5 * cume_dist() over (order by completed_orders))::integer as f,
        ceil(5 * cume_dist() over (order by revenue))::integer as m,
        count(*) over (order by revenue desc) as from_top, count(*) over () as n
    from measured where completed_orders > 0
)
select
    measured.customer_id, acquisition_channel,
    case when completed_orders > 0 then seg.rfm_segment else 'none' end as rfm_segment,
    case when from_top is null then 'none' when 5 * from_top <= n then 'high' when 2 * from_top <= n then 'medium' else 'low' end as value_tier,
    completed_orders, revenue, aov, tenure_days, recency_days, lifespan_days,
    scored.r as recency_score, scored.f as frequency_score, scored.m as monetary_score,
    is_active, cohort_month, first_order_at, last_order_at, country
from measured
left join scored using (customer_id)
left join read_csv('$SEGMENT_MAP') as seg on seg.recency_score = scored.r and seg.frequency_score = scored.f;

create or replace table marts.customer_purchase_summary as
with
days as (select customer_id, order_date, sum(amount) as amount from completed group by all),
summary as (
    select customer_id, count(*) - 1 as frequency, min(order_date) as first_day, max(order_date) as last_day,
        sum(amount) - arg_min(amount, order_date) as repeat_amount
    from days group by all
)
select
    customer_id, frequency::integer as frequency, (last_day - first_day)::integer as recency_days,
    (p.as_of_date - 1 - first_day)::integer as t_days, (last_day - first_day) / 7 as recency,
    (p.as_of_date - 1 - first_day) / 7 as t, (repeat_amount / nullif(frequency, 0))::double as monetary_value,
    'week' as time_unit
from summary, params as p;

create or replace temp table customer_months as
with
flags as (
    select s.customer_id, m.month, 1 as at_start, 0 as at_end, 0 as orders, 0::decimal(38, 2) as revenue
    from spells as s join months as m on m.month between s.active_from and s.active_until
    union all
    select s.customer_id, m.month, 0, 1, 0, 0 from spells as s join months as m on m.next_month between s.active_from and s.active_until
    union all
    select customer_id, date_trunc('month', order_date)::date, 0, 0, count(*), sum(amount)
    from completed where order_date < (select max(next_month) from months) group by all
)
select
    customer_id, flags.month, max(flags.at_start) = 1 as at_start, max(flags.at_end) = 1 as at_end,
    sum(flags.orders) as orders, sum(flags.revenue) as revenue, any_value(c.cohort_month) as cohort_month
from flags join marts.customers as c using (customer_id)
group by customer_id, flags.month;

create or replace table metrics.sales_monthly as
select
    m.month, coalesce(orders, 0)::bigint as orders, coalesce(revenue, 0)::decimal(38, 2) as revenue,
    coalesce(buyers, 0)::bigint as purchasing_customers, coalesce(new, 0)::bigint as new_customers,
    revenue / nullif(orders, 0) as aov, orders / nullif(buyers, 0) as purchase_frequency
from months as m left join (
    select month, sum(orders) as orders, sum(revenue) as revenue, count(*) filter (orders > 0) as buyers,
        count(*) filter (month = cohort_month) as new
    from customer_months group by month
) using (month);

create or replace table metrics.retention_monthly as
select
    m.month, coalesce(s, 0)::bigint as customers_start, coalesce(e, 0)::bigint as customers_end, coalesce(n, 0)::bigint as new_customers,
    coalesce(l, 0)::bigint as lost_customers, coalesce(r, 0)::bigint as reactivated_customers,
    l / nullif(s, 0) as churn_rate, (e - n) / nullif(s, 0) as retention_rate
from months as m left join (
    select month,
        count(*) filter (at_start) as s, count(*) filter (at_end) as e, count(*) filter (month = cohort_month) as n,
        count(*) filter (at_start and not at_end) as l,
        count(*) filter (not at_start and month <> cohort_month and orders > 0) as r
    from customer_months group by month
) using (month);

create or replace table metrics.cohort_retention as
with sizes as (select cohort_month, count(*) as size from customer_months where month = cohort_month group by all),
activity as (select cohort_month, month, count(*) filter (orders > 0) as active, sum(revenue) as revenue from customer_months group by all)
select
    sizes.cohort_month, date_diff('month', sizes.cohort_month, m.month)::integer as months_since_first_order,
    size::bigint as cohort_customers, coalesce(active, 0)::bigint as active_customers, coalesce(active, 0) / size as retention_rate,
    coalesce(revenue, 0)::decimal(38, 2) as revenue,
    sum(coalesce(revenue, 0)) over (partition by sizes.cohort_month order by m.month) / size as cumulative_revenue_per_customer,
    coalesce(revenue, 0) / nullif(first_value(coalesce(revenue, 0)) over (partition by sizes.cohort_month order by m.month), 0)
        as revenue_retention_rate
from sizes join months as m on m.month >= sizes.cohort_month
left join activity on activity.cohort_month = sizes.cohort_month and activity.month = m.month;

create or replace table metrics.clv_summary as
with
y as (select as_of_date, as_of_date - 365 as year_start from params),
per_customer as (
    select
        c.customer_id, c.acquisition_channel, c.country, c.is_active, c.completed_orders > 0 as is_purchaser, c.lifespan_days,
        coalesce(c.first_order_at::date >= y.year_start, false) as is_new,
        (select count(*) from spells as s where s.customer_id = c.customer_id and y.year_start between s.active_from and s.active_until) > 0 as at_start,
        coalesce(o.n, 0) as n, coalesce(o.revenue, 0) as revenue
    from marts.customers as c cross join y
    left join (select customer_id, count(*) as n, sum(amount) as revenue from completed, y where order_date >= y.year_start group by all) as o using (customer_id)
),
segmented as (
    select 'overall' as segment_type, 'all' as segment, * from per_customer
    union all select 'acquisition_channel', acquisition_channel, * from per_customer
    union all select 'country', country, * from per_customer
),
counts as (
    select segment_type, segment,
        count(*) filter (n > 0) as purchasers, sum(n) as orders, sum(revenue) as revenue,
        count(*) filter (at_start) as at_start, count(*) filter (at_start and not is_active) as lost,
        count(*) filter (is_new) as new, count(*) filter (is_purchaser and not is_active) as lapsed,
        sum(lifespan_days) filter (is_purchaser and not is_active) as lapsed_days
    from segmented group by all
),
spend as (
    select segment_type, segment, sum(amount) as spend from (
        select 'overall' as segment_type, 'all' as segment, amount, spent_on from read_parquet('$DATA_DIR/marketing_spend.parquet')
        union all select 'acquisition_channel', lower(trim(channel)), amount, spent_on from read_parquet('$DATA_DIR/marketing_spend.parquet')
    ), y where spent_on >= y.year_start and spent_on < y.as_of_date group by all
),
rates as (
    select
        segment_type, segment, coalesce(purchasers, 0)::bigint as purchasers,
        revenue / nullif(orders, 0) as aov, orders / nullif(purchasers, 0) as purchase_frequency,
        lost / nullif(at_start, 0) as churn, lapsed_days / nullif(lapsed, 0) / 365.25 as observed,
        spend / nullif(new, 0) as cac
    from counts full join spend using (segment_type, segment)
),
lifetimes as (
    select *, case when churn is null then null when churn = 0 then 10 else least(1 / churn, 10) end as lifetime from rates
)
select
    segment_type, segment, purchasers, aov::double as aov, purchase_frequency::double as purchase_frequency,
    churn::double as annual_churn_rate, lifetime::double as expected_lifetime_years,
    (aov * purchase_frequency * lifetime)::double as clv,
    (aov * purchase_frequency * 1.1 / nullif(0.1 + churn, 0))::double as discounted_clv,
    observed::double as observed_lifetime_years, cac::double as cac,
    (aov * purchase_frequency * lifetime / nullif(cac, 0))::double as clv_to_cac
from lifetimes;

-- Complete calendar months, quarters and years from the one holding the first order.
create or replace temp table periods as
select * from (
    select 'month' as period_type, month as period_start, next_month as period_end from months
    union all
    select distinct 'quarter', date_trunc('quarter', month)::date, (date_trunc('quarter', month) + interval 3 month)::date from months
    union all
    select distinct 'year', date_trunc('year', month)::date, (date_trunc('year', month) + interval 1 year)::date from months
)
where period_end <= (select max(next_month) from months);

-- Each customer's activity at a period's ends from the customer-months (active at the start of
-- its first month, at the end of its last), then grouping sets for the four segment types.
create or replace table metrics.retention_by_segment as
with
per_customer as (
    select 'month' as period_type, month as period_start, customer_id, at_start, at_end, orders, revenue
    from customer_months
    union all
    select
        t.period_type, date_trunc(t.period_type, cm.month)::date, cm.customer_id,
        bool_or(cm.at_start and cm.month = date_trunc(t.period_type, cm.month)),
        bool_or(cm.at_end and cm.month = date_trunc(t.period_type, cm.month) + to_months(t.months - 1)),
        sum(cm.orders), sum(cm.revenue)
    from customer_months as cm, (values ('quarter', 3), ('year', 12)) as t(period_type, months)
    group by all
),
flagged as (
    select
        pc.*, c.cohort_month >= pc.period_start and c.cohort_month < p.period_end as first_inside,
        c.acquisition_channel, c.country, c.value_tier
    from per_customer as pc
    join periods as p using (period_type, period_start)
    join marts.customers as c using (customer_id)
),
counts as (
    select
        period_type, period_start,
        case
            when grouping(acquisition_channel) = 0 then 'acquisition_channel'
            when grouping(country) = 0 then 'country'
            when grouping(value_tier) = 0 then 'value_tier'
            else 'overall'
        end as segment_type,
        coalesce(acquisition_channel, country, value_tier, 'all') as segment,
        count(*) filter (at_start) as s, count(*) filter (at_end) as e,
        count(*) filter (first_inside and at_end) as n, count(*) filter (at_start and not at_end) as l,
        count(*) filter (at_end and not at_start and not first_inside) as r,
        sum(orders) as orders, sum(revenue) as revenue, count(*) filter (orders > 0) as buyers
    from flagged
    group by grouping sets (
        (period_type, period_start), (period_type, period_start, acquisition_channel),
        (period_type, period_start, country), (period_type, period_start, value_tier)
    )
),
segments as (
    select 'overall' as segment_type, 'all' as segment
    union all select distinct 'acquisition_channel', acquisition_channel from marts.customers
    union all select distinct 'country', country from marts.customers
    union all select distinct 'value_tier', value_tier from marts.customers
)
select
    periods.period_type, periods.period_start, segments.segment_type, segments.segment,
    coalesce(s, 0)::bigint as customers_start, coalesce(e, 0)::bigint as customers_end, coalesce(n, 0)::bigint as new_customers,
    coalesce(l, 0)::bigint as lost_customers, coalesce(r, 0)::bigint as reactivated_customers,
    l / nullif(s, 0) as churn_rate, (e - n) / nullif(s, 0) as retention_rate,
    coalesce(orders, 0)::bigint as orders, coalesce(revenue, 0)::decimal(38, 2) as revenue,
    coalesce(buyers, 0)::bigint as purchasing_customers, revenue / nullif(orders, 0) as aov
from periods cross join segments
left join counts using (period_type, period_start, segment_type, segment);

create or replace temp table survey_monthly as
with bounds as (
    select survey_type, date_trunc('month', min(responded_at))::date as first_month, any_value(m.last_month) as last_month
    from marts.survey_responses, (select max(month) as last_month from months) as m group by survey_type
),
spine as (
    select survey_type, g.m::date as month from bounds, generate_series(first_month, last_month, interval 1 month) as g(m)
)
select
    spine.survey_type, spine.month, count(r.response_id) as n,
    count(*) filter (r.nps_category = 'promoter') as promoters, count(*) filter (r.nps_category = 'passive') as passives,
    count(*) filter (r.nps_category = 'detractor') as detractors, count(*) filter (r.score >= 4) as satisfied,
    count(*) filter (r.score <= 2) as low_effort, sum(r.score) as score_sum
from spine left join marts.survey_responses as r
    on r.survey_type = spine.survey_type and date_trunc('month', r.responded_at) = spine.month
group by all;

create or replace table metrics.nps_monthly as
select
    month, n::bigint as responses, promoters::bigint as promoters, passives::bigint as passives, detractors::bigint as detractors,
    100 * (promoters - detractors) / nullif(n, 0) as nps,
    1.96 * 100 * sqrt((promoters / nullif(n, 0) + detractors / nullif(n, 0) - (promoters / nullif(n, 0) - detractors / nullif(n, 0)) ** 2) / nullif(n, 0))
        as nps_margin_of_error
from survey_monthly where survey_type = 'nps';

create or replace table metrics.csat_monthly as
select month, n::bigint as responses, satisfied::bigint as satisfied_responses, 100 * satisfied / nullif(n, 0) as csat,
    score_sum / nullif(n, 0) as mean_score
from survey_monthly where survey_type = 'csat';

create or replace table metrics.ces_monthly as
select month, n::bigint as responses, score_sum / nullif(n, 0) as mean_effort, low_effort / nullif(n, 0) as low_effort_share
from survey_monthly where survey_type = 'ces';

create or replace table metrics.nps_by_segment as
with linked as (
    select c.value_tier, c.acquisition_channel, c.rfm_segment, c.country, r.nps_category
    from marts.survey_responses as r join marts.customers as c using (customer_id) where r.survey_type = 'nps'
),
segmented as (
    select 'value_tier' as segment_type, value_tier as segment, nps_category from linked
    union all select 'acquisition_channel', acquisition_channel, nps_category from linked
    union all select 'rfm_segment', rfm_segment, nps_category from linked
    union all select 'country', country, nps_category from linked
),
segments as (
    select distinct 'value_tier' as segment_type, value_tier as segment from marts.customers
    union all select distinct 'acquisition_channel', acquisition_channel from marts.customers
    union all select distinct 'rfm_segment', rfm_segment from marts.customers
    union all select distinct 'country', country from marts.customers
),
counts as (
    select segment_type, segment, count(*) as n, count(*) filter (nps_category = 'promoter') as p,
        count(*) filter (nps_category = 'passive') as pa, count(*) filter (nps_category = 'detractor') as d
    from segmented group by all
)
select segment_type, segment, coalesce(n, 0)::bigint as responses, coalesce(p, 0)::bigint as promoters,
    coalesce(pa, 0)::bigint as passives, coalesce(d, 0)::bigint as detractors, 100 * (p - d) / nullif(n, 0) as nps
from segments left join counts using (segment_type, segment);

create or replace table metrics.churn_by_nps_category as
with latest as (
    select customer_id, arg_max(nps_category, (responded_at, response_id)) as nps_category
    from marts.survey_responses where survey_type = 'nps' and customer_id is not null group by customer_id
)
select cat.nps_category, count(l.customer_id)::bigint as customers,
    count(l.customer_id) filter (not c.is_active)::bigint as churned_customers,
    count(l.customer_id) filter (not c.is_active) / nullif(count(l.customer_id), 0) as churned_share
from (values ('promoter'), ('passive'), ('detractor')) as cat(nps_category)
left join latest as l using (nps_category) left join marts.customers as c using (customer_id)
group by cat.nps_category;
