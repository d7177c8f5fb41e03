-- The segments of each type (acquisition channels, countries) partition the customers: their
-- counts add up to the overall segment's. Returns each segment type that does not.
with

segments as (

    select * from {{ ref('int_clv_segments') }}

),

segment_totals as (

    select
        segment_type,
        sum(purchasers) as purchasers,
        sum(orders_in_year) as orders_in_year,
        sum(revenue_in_year) as revenue_in_year,
        sum(customers_active_at_year_start) as customers_active_at_year_start,
        sum(customers_lost_in_year) as customers_lost_in_year,
        sum(new_customers_in_year) as new_customers_in_year,
        sum(lapsed_purchasers) as lapsed_purchasers
    from segments
    where segment_type <> 'overall'
    group by segment_type

),

overall as (

    select * from segments
    where segment_type = 'overall'

)

select
    segment_totals.segment_type,
    overall.purchasers,
    segment_totals.purchasers as segment_purchasers
from overall
cross join segment_totals
where
    overall.purchasers <> segment_totals.purchasers
    or overall.orders_in_year <> segment_totals.orders_in_year
    or overall.revenue_in_year <> segment_totals.revenue_in_year
    or overall.customers_active_at_year_start <> segment_totals.customers_active_at_year_start
    or overall.customers_lost_in_year <> segment_totals.customers_lost_in_year
    or overall.new_customers_in_year <> segment_totals.new_customers_in_year
    or overall.lapsed_purchasers <> segment_totals.lapsed_purchasers
