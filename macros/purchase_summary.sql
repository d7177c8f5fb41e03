{#- The repeat-purchase summary the buy-till-you-die models read, as CTEs ending in
    `purchase_summary` (one row per purchaser), for marts.customer_purchase_summary (observed
    to as_of_date) and int_clv_holdout_summary (observed to the start of the holdout days).
      histories     a CTE of purchase-day histories (int_clv_purchase_histories' columns:
                    customer_id, first_purchase_date, first_day_amount, last_purchase_date,
                    purchase_days, amount), each observed to the end of observation;
      observation   a one-row CTE whose column as_of_date is the end of observation, exclusive;
      carry         columns of HISTORIES passed through unchanged.
    Purchases are counted per customer-day (int_clv_purchase_histories): completed orders on
    one calendar day are one purchase, their amounts summed. The last observed day is the end
    of observation - 1 day.
      frequency       purchase days after the first (repeat purchases);
      recency_days    first purchase day to last purchase day;
      t_days          first purchase day to the last observed day;
      recency, t      the same in the model's time unit (var clv_model_time_unit: week = 7 days);
      monetary_value  mean amount of the repeat purchase days (null without a repeat): every
                      day's amount but the first day's (exact: money is a decimal) over x.
    The standard definition: lifetimes' summary_data_from_transaction_data with freq 'D',
    which the published CDNOW summaries use. -#}
{% macro purchase_summary(histories, observation, carry=[]) -%}
{%- set time_unit = clv_model_time_unit() %}
{%- set days_per_unit = clv_days_per_unit() %}
measured as (

    select
        {{ histories }}.customer_id,
        cast({{ histories }}.purchase_days - 1 as integer) as frequency,
        {{ days_between(histories ~ '.first_purchase_date', histories ~ '.last_purchase_date') }} as recency_days,
        {{ days_between(histories ~ '.first_purchase_date', add_days(-1, observation ~ '.as_of_date')) }} as t_days,
        {{ safe_ratio(histories ~ '.amount - ' ~ histories ~ '.first_day_amount', histories ~ '.purchase_days - 1') }} as monetary_value
        {%- for column in carry %},
        {{ histories }}.{{ column }}
        {%- endfor %}

    from {{ histories }}
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
        {%- for column in carry %},
        {{ column }}
        {%- endfor %}

    from measured

)
{%- endmacro %}
