-- In metrics.retention_by_segment, the segments of each type (channels, countries, value
-- tiers) partition the customers: in every period their flows, orders, revenue and
-- purchasing customers add up to the overall row's. Returns each period and segment type
-- that does not.
with

by_segment as (

    select * from {{ ref('retention_by_segment') }}

),

segment_totals as (

    select
        period_type,
        period_start,
        segment_type,
        sum(customers_start) as customers_start,
        sum(customers_end) as customers_end,
        sum(new_customers) as new_customers,
        sum(lost_customers) as lost_customers,
        sum(reactivated_customers) as reactivated_customers,
        sum(orders) as orders,
        sum(revenue) as revenue,
        sum(purchasing_customers) as purchasing_customers
    from by_segment
    where segment_type <> 'overall'
    group by period_type, period_start, segment_type

),

overall as (

    select * from by_segment
    where segment_type = 'overall'

)

select
    overall.period_type,
    overall.period_start,
    segment_totals.segment_type
from overall
inner join segment_totals
    on
        overall.period_type = segment_totals.period_type
        and overall.period_start = segment_totals.period_start
where
    overall.customers_start <> segment_totals.customers_start
    or overall.customers_end <> segment_totals.customers_end
    or overall.new_customers <> segment_totals.new_customers
    or overall.lost_customers <> segment_totals.lost_customers
    or overall.reactivated_customers <> segment_totals.reactivated_customers
    or overall.orders <> segment_totals.orders
    or overall.revenue <> segment_totals.revenue
    or overall.purchasing_customers <> segment_totals.purchasing_customers
