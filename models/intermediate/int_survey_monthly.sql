{#- Counts per survey type and reported month, anonymous responses included: the stored
    counts from which every monthly survey ratio is computed (and can be re-derived). -#}
with

responses as (

    select * from {{ ref('survey_responses') }}

),

months as (

    select * from {{ ref('int_survey_months') }}

),

counts as (

    select
        survey_type,
        {{ month_of('responded_at') }} as month,
        cast(count(*) as {{ type_count() }}) as responses,
        {{ nps_category_counts() }},
        {{ count_where("survey_type = 'csat' and score >= 4") }} as satisfied_responses,
        {{ count_where("survey_type = 'ces' and score <= 2") }} as low_effort_responses,
        cast(sum(score) as {{ type_count() }}) as score_sum

    from responses
    group by survey_type, {{ month_of('responded_at') }}

),

final as (

    select
        months.survey_type,
        months.month,
        coalesce(counts.responses, 0) as responses,
        coalesce(counts.promoters, 0) as promoters,
        coalesce(counts.passives, 0) as passives,
        coalesce(counts.detractors, 0) as detractors,
        coalesce(counts.satisfied_responses, 0) as satisfied_responses,
        coalesce(counts.low_effort_responses, 0) as low_effort_responses,
        coalesce(counts.score_sum, 0) as score_sum

    from months
    left join counts
        on
            months.survey_type = counts.survey_type
            and months.month = counts.month

)

select * from final
