{#- The holdout check's window (metrics.clv_model_holdout), one row: the models are fitted on
    the orders before calibration_end_date = as_of_date - var clv_holdout_days and checked on
    the purchases of the holdout days [calibration_end_date, as_of_date); holdout_length is
    their length in the model's time unit (var clv_model_time_unit). The holdout models read
    the window from here. DuckDB only, as its readers. -#}
{%- set holdout_days = clv_holdout_days() %}

with

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

final as (

    select
        {{ clv_calibration_end_date('as_of_date') }} as calibration_end_date,
        cast({{ holdout_days }} as integer) as holdout_days,
        cast({{ holdout_days }} as {{ type_double() }}) / {{ clv_days_per_unit() }} as holdout_length

    from as_of

)

select * from final
