{#- The holdout check's data (metrics.clv_model_holdout): the repeat-purchase summary of the
    orders before the start of the holdout days (as_of_date - var clv_holdout_days), one row
    per customer who purchased before it, and each one's purchase days in the holdout days
    [as_of_date - clv_holdout_days, as_of_date), counted as the summary counts them (orders on
    one calendar day are one purchase). DuckDB only, as its readers. -#}
{%- set holdout_days = checked_var('clv_holdout_days') or 273 %}

with

orders as (

    select * from {{ ref('int_orders') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

calibration as (

    select {{ add_days(-holdout_days, 'as_of_date') }} as as_of_date
    from as_of

),

calibration_orders as (

    select orders.*
    from orders
    cross join calibration
    where orders.ordered_at < calibration.as_of_date

),

{{ purchase_summary('calibration_orders', 'calibration') }},

holdout_purchases as (

    select
        orders.customer_id,
        count(distinct {{ to_date('orders.ordered_at') }}) as holdout_purchases

    from orders
    cross join calibration
    where orders.is_completed and orders.ordered_at >= calibration.as_of_date
    group by orders.customer_id

),

final as (

    select
        purchase_summary.customer_id,
        purchase_summary.frequency,
        purchase_summary.recency,
        purchase_summary.t,
        cast(coalesce(holdout_purchases.holdout_purchases, 0) as integer) as holdout_purchases

    from purchase_summary
    left join holdout_purchases
        on purchase_summary.customer_id = holdout_purchases.customer_id

)

select * from final
