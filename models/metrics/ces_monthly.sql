with

monthly as (

    select * from {{ ref('int_survey_monthly') }}
    where survey_type = 'ces'

),

final as (

    select
        month,
        responses,
        cast({{ safe_ratio('score_sum', 'responses') }} as {{ type_double() }}) as mean_effort,
        cast({{ safe_ratio('low_effort_responses', 'responses') }} as {{ type_double() }}) as low_effort_share

    from monthly

)

select * from final
