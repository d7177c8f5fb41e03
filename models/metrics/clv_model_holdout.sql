{#- The predictive CLV's holdout check: BG/NBD fitted on the orders before the holdout days
    (int_clv_holdout_window: as_of_date - var clv_holdout_days) forecasts each customer's
    purchase days in them; the forecast, a naive baseline (each customer repeats their past
    rate x / T over the holdout days; 0 when T = 0) and what happened, per calibration
    frequency bucket (0 ... 6, 7+) and overall (`all`). Buckets without customers are rows
    of zeros and nulls. DuckDB only. -#}
{%- set exact_number = 'decimal(38, 12)' %}

with

summary as (

    select * from {{ ref('int_clv_holdout_summary') }}

),

predictions as (

    select * from {{ ref('int_clv_holdout_predictions') }}

),

holdout_window as (

    select * from {{ ref('int_clv_holdout_window') }}

),

buckets as (

    {% for bucket in ['0', '1', '2', '3', '4', '5', '6', '7+', 'all'] -%}
        select
            '{{ bucket }}' as frequency_bucket,
            {{ loop.index0 }} as bucket_order
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

customers as (

    select
        summary.customer_id,
        case
            when summary.frequency >= 7 then '7+'
            else cast(summary.frequency as {{ dbt.type_string() }})
        end as frequency_bucket,
        cast(summary.holdout_purchases as {{ type_double() }}) as actual_purchases,
        cast(predictions.predicted_purchases as {{ type_double() }}) as predicted_purchases,
        case
            when summary.t > 0
                then summary.frequency / summary.t * holdout_window.holdout_length
            else 0
        end as naive_purchases

    from summary
    inner join predictions
        on summary.customer_id = predictions.customer_id
    cross join holdout_window

),

in_buckets as (

    select
        frequency_bucket,
        actual_purchases,
        predicted_purchases,
        naive_purchases
    from customers

    union all

    select
        'all' as frequency_bucket,
        actual_purchases,
        predicted_purchases,
        naive_purchases
    from customers

),

aggregated as (

    select
        frequency_bucket,
        count(*) as customers,
        {#- Sums of fixed-point values: exact, so the same whatever order the rows are
            added in (a sum of doubles can differ in its last bit from run to run). -#}
        sum(cast(actual_purchases as {{ exact_number }})) as actual_purchases,
        sum(cast(predicted_purchases as {{ exact_number }})) as predicted_purchases,
        sum(cast(naive_purchases as {{ exact_number }})) as naive_purchases,
        sum(cast(abs(predicted_purchases - actual_purchases) as {{ exact_number }})) as predicted_absolute_error,
        sum(cast(abs(naive_purchases - actual_purchases) as {{ exact_number }})) as naive_absolute_error

    from in_buckets
    group by frequency_bucket

),

final as (

    select
        cast(buckets.frequency_bucket as {{ dbt.type_string() }}) as frequency_bucket,
        cast(coalesce(aggregated.customers, 0) as {{ type_count() }}) as customers,
        {{ safe_ratio('aggregated.actual_purchases', 'aggregated.customers') }} as actual_mean_purchases,
        {{ safe_ratio('aggregated.predicted_purchases', 'aggregated.customers') }} as predicted_mean_purchases,
        {{ safe_ratio('aggregated.naive_purchases', 'aggregated.customers') }} as naive_mean_purchases,
        {{ safe_ratio('aggregated.predicted_absolute_error', 'aggregated.customers') }} as predicted_mae,
        {{ safe_ratio('aggregated.naive_absolute_error', 'aggregated.customers') }} as naive_mae,
        {{ safe_ratio('aggregated.predicted_purchases', 'aggregated.actual_purchases') }} - 1 as predicted_total_error,
        {{ safe_ratio('aggregated.naive_purchases', 'aggregated.actual_purchases') }} - 1 as naive_total_error,
        holdout_window.calibration_end_date,
        holdout_window.holdout_days

    from buckets
    left join aggregated
        on buckets.frequency_bucket = aggregated.frequency_bucket
    cross join holdout_window

)

select * from final
