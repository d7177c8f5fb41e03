{{ config(materialized='view') }}
{#- stg_survey_responses with the last check, which needs as_of_date: a response at or
    after it is a future row and is quarantined. Accepted responses (null rejection_reason)
    feed marts.survey_responses. -#}
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
        {{ future_row_screening('responses', 'responded_at', 'survey_responses') }},
        responses.survey_type,
        responses.score,
        responses.responded_at

    from responses
    cross join as_of

)

select * from final
