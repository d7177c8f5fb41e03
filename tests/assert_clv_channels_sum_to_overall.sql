-- The acquisition-channel segments partition the customers: their counts add up to the
-- overall segment's.
with

segments as (

    select * from {{ ref('int_clv_segments') }}

),

channel_totals as (

    select
        sum(purchasers) as purchasers,
        sum(orders_in_year) as orders_in_year,
        sum(revenue_in_year) as revenue_in_year,
        sum(customers_active_at_year_start) as customers_active_at_year_start,
        sum(customers_lost_in_year) as customers_lost_in_year,
        sum(new_customers_in_year) as new_customers_in_year,
        sum(lapsed_purchasers) as lapsed_purchasers
    from segments
    where segment_type = 'acquisition_channel'

),

overall as (

    select * from segments
    where segment_type = 'overall'

)

select
    overall.segment_type,
    overall.segment,
    overall.purchasers,
    channel_totals.purchasers as channel_purchasers
from overall
cross join channel_totals
where
    overall.purchasers <> channel_totals.purchasers
    or overall.orders_in_year <> channel_totals.orders_in_year
    or overall.revenue_in_year <> channel_totals.revenue_in_year
    or overall.customers_active_at_year_start <> channel_totals.customers_active_at_year_start
    or overall.customers_lost_in_year <> channel_totals.customers_lost_in_year
    or overall.new_customers_in_year <> channel_totals.new_customers_in_year
    or overall.lapsed_purchasers <> channel_totals.lapsed_purchasers
