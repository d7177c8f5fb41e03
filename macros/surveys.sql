{#- The score scale of each survey type: nps 0-10, csat 1-5, ces 1-5 (1 = very little
    effort). True when the type is known and the score lies on its scale. -#}
{% macro is_valid_survey_score(survey_type, score) -%}
    (
        ({{ survey_type }} = 'nps' and {{ score }} between 0 and 10)
        or ({{ survey_type }} in ('csat', 'ces') and {{ score }} between 1 and 5)
    )
{%- endmacro %}

{#- The NPS category of a score: promoter 9-10, passive 7-8, detractor 0-6. -#}
{% macro nps_category(score) -%}
    case
        when {{ score }} >= 9 then 'promoter'
        when {{ score }} >= 7 then 'passive'
        else 'detractor'
    end
{%- endmacro %}

{#- NPS in points from counts: 100 * (promoters - detractors) / responses; null without responses. -#}
{% macro nps_from_counts(promoters, detractors, responses) -%}
    100 * {{ safe_ratio(promoters ~ ' - ' ~ detractors, responses) }}
{%- endmacro %}

{#- Counts of NPS responses by category, for a relation with an nps_category column. -#}
{% macro nps_category_counts() -%}
    {{ count_where("nps_category = 'promoter'") }} as promoters,
    {{ count_where("nps_category = 'passive'") }} as passives,
    {{ count_where("nps_category = 'detractor'") }} as detractors
{%- endmacro %}
