{#- The repeat-purchase summary the buy-till-you-die models read, as CTEs ending in
    `purchase_summary` (one row per purchaser), for marts.customer_purchase_summary (observed
    to as_of_date) and int_clv_holdout_summary (observed to the start of the holdout days).
      orders        a CTE of orders (customer_id, ordered_at, amount, is_completed), all
                    before the end of observation;
      observation   a one-row CTE whose column as_of_date is the end of observation, exclusive.
    Purchases are counted per customer-day: completed orders on one calendar day are one
    purchase, their amounts summed. The last observed day is the end of observation - 1 day.
      frequency       purchase days after the first (repeat purchases);
      recency_days    first purchase day to last purchase day;
      t_days          first purchase day to the last observed day;
      recency, t      the same in the model's time unit (var clv_model_time_unit: week = 7 days);
      monetary_value  mean amount of the repeat purchase days (null without a repeat).
    The standard definition: lifetimes' summary_data_from_transaction_data with freq 'D',
    which the published CDNOW summaries use. -#}
{% macro purchase_summary(orders, observation) -%}
{%- set time_unit = clv_model_time_unit() %}
{%- set days_per_unit = clv_days_per_unit() %}
purchase_days as (

    select
        customer_id,
        {{ to_date('ordered_at') }} as purchase_date,
        cast(sum(amount) as {{ type_money() }}) as amount

    from {{ orders }}
    where is_completed
    group by customer_id, {{ to_date('ordered_at') }}

),

summarised as (

    select
        customer_id,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        cast(count(*) - 1 as integer) as frequency,
        -- every day's amount but the first day's (exact: money is a decimal)
        case
            when count(*) > 1 then sum(amount) - {{ value_at_min('amount', 'purchase_date') }}
        end as repeat_amount

    from purchase_days
    group by customer_id

),

measured as (

    select
        summarised.customer_id,
        summarised.frequency,
        {{ days_between('summarised.first_purchase_date', 'summarised.last_purchase_date') }} as recency_days,
        {{ days_between('summarised.first_purchase_date', add_days(-1, observation ~ '.as_of_date')) }} as t_days,
        {{ safe_ratio('summarised.repeat_amount', 'summarised.frequency') }} as monetary_value

    from summarised
    cross join {{ observation }}

),

purchase_summary as (

    select
        customer_id,
        frequency,
        recency_days,
        t_days,
        cast(recency_days as {{ type_double() }}) / {{ days_per_unit }} as recency,
        cast(t_days as {{ type_double() }}) / {{ days_per_unit }} as t,
        monetary_value,
        '{{ time_unit }}' as time_unit

    from measured

)
{%- endmacro %}
