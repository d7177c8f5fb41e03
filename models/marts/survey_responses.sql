with

responses as (

    select * from {{ ref('stg_survey_responses') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

counted as (

    {#- Every valid response (a known survey type, a score on its scale) before
        as_of_date counts, once. -#}
    select responses.*
    from responses
    inner join as_of
        on responses.responded_at < as_of.as_of_date
    where {{ is_valid_survey_score('responses.survey_type', 'responses.score') }}

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
