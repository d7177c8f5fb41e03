-- The overall monthly rows of metrics.retention_by_segment equal metrics.retention_monthly
-- and metrics.sales_monthly, month by month (with churn_window_days >= 31 every customer
-- who orders in a month is active at its end, so the period definitions of N and R are the
-- monthly ones). Returns each month where a figure differs or a month is missing.
with

by_segment as (

    select * from {{ ref('retention_by_segment') }}
    where period_type = 'month' and segment_type = 'overall'

),

retention as (

    select * from {{ ref('retention_monthly') }}

),

sales as (

    select * from {{ ref('sales_monthly') }}

),

monthly as (

    select
        retention.month,
        retention.customers_start,
        retention.customers_end,
        retention.new_customers,
        retention.lost_customers,
        retention.reactivated_customers,
        sales.orders,
        sales.revenue,
        sales.purchasing_customers
    from retention
    inner join sales
        on retention.month = sales.month

)

select coalesce(monthly.month, by_segment.period_start) as month
from monthly
full outer join by_segment
    on monthly.month = by_segment.period_start
where
    monthly.month is null
    or by_segment.period_start is null
    or monthly.customers_start <> by_segment.customers_start
    or monthly.customers_end <> by_segment.customers_end
    or monthly.new_customers <> by_segment.new_customers
    or monthly.lost_customers <> by_segment.lost_customers
    or monthly.reactivated_customers <> by_segment.reactivated_customers
    or monthly.orders <> by_segment.orders
    or monthly.revenue <> by_segment.revenue
    or monthly.purchasing_customers <> by_segment.purchasing_customers
