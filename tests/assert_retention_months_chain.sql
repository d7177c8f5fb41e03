-- The customers active at the end of a month are the customers active at the start of the
-- next: customers_end of month m equals customers_start of month m + 1.
with

retention as (

    select * from {{ ref('retention_monthly') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

)

select
    this_month.month,
    this_month.customers_end,
    next_month.customers_start
from retention as this_month
inner join months
    on this_month.month = months.month
inner join retention as next_month
    on months.next_month = next_month.month
where this_month.customers_end <> next_month.customers_start
