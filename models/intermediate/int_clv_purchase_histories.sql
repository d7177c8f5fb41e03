{#- One row per purchaser (a completed order before as_of_date): their purchase days
    (completed orders on one calendar day are one purchase, their amounts summed) summarised
    at the two ends of observation that the predictive CLV reads, in one pass over the orders:
    as_of_date (marts.customer_purchase_summary) and the start of the holdout days
    (macro clv_calibration_end_date, as int_clv_holdout_window has it; int_clv_holdout_summary),
    read from int_as_of_date so that the histories need not wait for the window. The first
    purchase day is the same at both ends for a customer who purchased before the holdout
    days (decision log D50). macros/purchase_summary.sql turns a history into the summary. -#}

with

orders as (

    select * from {{ ref('int_orders') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

purchase_days as (

    select
        customer_id,
        {{ to_date('ordered_at') }} as purchase_date,
        cast(sum(amount) as {{ type_money() }}) as amount

    from orders
    where is_completed
    group by customer_id, {{ to_date('ordered_at') }}

),

calibration_days as (

    select
        purchase_days.*,
        purchase_days.purchase_date < {{ clv_calibration_end_date('as_of.as_of_date') }} as is_before_holdout

    from purchase_days
    cross join as_of

),

final as (

    select
        customer_id,
        min(purchase_date) as first_purchase_date,
        cast({{ value_at_min('amount', 'purchase_date') }} as {{ type_money() }}) as first_day_amount,
        max(purchase_date) as last_purchase_date,
        cast(count(*) as integer) as purchase_days,
        cast(sum(amount) as {{ type_money() }}) as amount,
        max(case when is_before_holdout then purchase_date end) as calibration_last_purchase_date,
        cast(sum(case when is_before_holdout then 1 else 0 end) as integer) as calibration_purchase_days,
        cast(sum(case when is_before_holdout then amount else 0 end) as {{ type_money() }}) as calibration_amount

    from calibration_days
    group by customer_id

)

select * from final
