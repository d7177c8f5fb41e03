with

monthly as (

    select * from {{ ref('int_survey_monthly') }}
    where survey_type = 'csat'

),

final as (

    select
        month,
        responses,
        satisfied_responses,
        cast(100 * {{ safe_ratio('satisfied_responses', 'responses') }} as {{ type_double() }}) as csat,
        cast({{ safe_ratio('score_sum', 'responses') }} as {{ type_double() }}) as mean_score

    from monthly

)

select * from final
