{#- The holdout check's data (metrics.clv_model_holdout): the repeat-purchase summary of the
    purchase days before the holdout days (int_clv_holdout_window: before
    calibration_end_date), one row per customer who purchased before them, and each one's
    purchase days in them [calibration_end_date, as_of_date), counted as the summary counts
    them (orders on one calendar day are one purchase): the purchase histories'
    (int_clv_purchase_histories) columns before the holdout days. DuckDB only, as its
    readers. -#}

with

histories as (

    select * from {{ ref('int_clv_purchase_histories') }}

),

holdout_window as (

    select * from {{ ref('int_clv_holdout_window') }}

),

calibration as (

    select calibration_end_date as as_of_date
    from holdout_window

),

calibration_histories as (

    select
        customer_id,
        first_purchase_date,
        first_day_amount,
        calibration_last_purchase_date as last_purchase_date,
        calibration_purchase_days as purchase_days,
        calibration_amount as amount,
        purchase_days - calibration_purchase_days as holdout_purchases

    from histories
    where calibration_purchase_days > 0

),

{{ purchase_summary('calibration_histories', 'calibration', carry=['holdout_purchases']) }},

final as (

    select
        customer_id,
        frequency,
        recency,
        t,
        cast(holdout_purchases as integer) as holdout_purchases

    from purchase_summary

)

select * from final
