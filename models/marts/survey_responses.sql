-- depends_on: {{ ref('input_reconciliation') }}

with

responses as (

    select * from {{ ref('int_survey_responses_screened') }}

),

counted as (

    {#- Every valid response (a known survey type, a score on its scale) before
        as_of_date counts, once; the others are in audit.rejected_rows (or outside the
        observation window). -#}
    select *
    from responses
    where row_status = 'accepted'

),

final as (

    select
        response_id,
        customer_id,
        survey_type,
        case when survey_type = 'nps' then {{ nps_category('score') }} end as nps_category,
        score,
        responded_at

    from counted

)

select * from final
