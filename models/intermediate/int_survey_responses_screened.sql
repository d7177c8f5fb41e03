{{ config(materialized='view') }}
{#- stg_survey_responses with the last check, which needs as_of_date: a response at or
    after it is a future row and is quarantined. Accepted responses (null rejection_reason)
    feed marts.survey_responses. A future row's raw_row shows its values as typed. -#}
with

responses as (

    select * from {{ ref('stg_survey_responses') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

final as (

    select
        responses.response_id,
        responses.customer_id,
        case
            when responses.rejection_reason is null and responses.responded_at >= as_of.as_of_date
                then 'responded_at'
            else responses.rejected_column
        end as rejected_column,
        case
            when responses.rejection_reason is null and responses.responded_at >= as_of.as_of_date
                then 'at_or_after_as_of_date'
            else responses.rejection_reason
        end as rejection_reason,
        responses.survey_type,
        case
            when responses.rejection_reason is null and responses.responded_at >= as_of.as_of_date
                then {{ raw_row(input_column_names('survey_responses'), 'responses.', '') }}
            else responses.raw_row
        end as raw_row,
        responses.score,
        responses.responded_at

    from responses
    cross join as_of

)

select * from final
