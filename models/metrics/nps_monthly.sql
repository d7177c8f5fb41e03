with

monthly as (

    select * from {{ ref('int_survey_monthly') }}
    where survey_type = 'nps'

),

shares as (

    select
        month,
        responses,
        promoters,
        passives,
        detractors,
        {{ safe_ratio('promoters', 'responses') }} as promoter_share,
        {{ safe_ratio('detractors', 'responses') }} as detractor_share

    from monthly

),

final as (

    select
        month,
        responses,
        promoters,
        passives,
        detractors,
        cast({{ nps_from_counts('promoters', 'detractors', 'responses') }} as {{ type_double() }}) as nps,
        {#- 95 % margin of error, in NPS points: 1.96 * 100 * sqrt((p + q - (p - q)^2) / n),
            p and q the promoter and detractor shares. -#}
        cast(
            1.96 * 100 * sqrt(
                (
                    promoter_share + detractor_share
                    - (promoter_share - detractor_share) * (promoter_share - detractor_share)
                )
                / nullif(responses, 0)
            ) as {{ type_double() }}
        ) as nps_margin_of_error

    from shares

)

select * from final
