{{ config(materialized='view') }}
{#- stg_survey_responses measured against the observation window: every input response
    with its row_status, accepted (feeds marts.survey_responses), quarantined
    (audit.rejected_rows) or outside_window (at or after as_of_date). -#}
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
        {{ row_status('responses', 'responded_at') }} as row_status,
        responses.rejected_column,
        responses.rejection_reason,
        responses.raw_row,
        responses.survey_type,
        responses.score,
        responses.responded_at

    from responses
    cross join as_of

)

select * from final
