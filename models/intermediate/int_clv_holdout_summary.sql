{#- The holdout check's data (metrics.clv_model_holdout): the repeat-purchase summary of the
    orders before the holdout days (int_clv_holdout_window: before calibration_end_date), one
    row per customer who purchased before them, and each one's purchase days in them
    [calibration_end_date, as_of_date), counted as the summary counts them (orders on one
    calendar day are one purchase). DuckDB only, as its readers. -#}

with

orders as (

    select * from {{ ref('int_orders') }}

),

holdout_window as (

    select * from {{ ref('int_clv_holdout_window') }}

),

calibration as (

    select calibration_end_date as as_of_date
    from holdout_window

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
