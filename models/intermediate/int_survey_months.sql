{#- The reported months of each survey type: from the first month with a valid response of
    that type to the last complete month, months without responses included. -#}
with

responses as (

    select * from {{ ref('survey_responses') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

bounds as (

    select
        responses.survey_type,
        min({{ month_of('responses.responded_at') }}) as first_month,
        {{ last_complete_month('max(as_of.as_of_date)') }} as last_month

    from responses
    cross join as_of
    group by responses.survey_type

),

months as (

    {{ expand_months('bounds', ['survey_type']) }}

),

final as (

    select
        survey_type,
        month,
        next_month

    from months

)

select * from final
