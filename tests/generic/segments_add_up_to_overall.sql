{#- The segments of each segment type partition the customers: per grain (e.g. each period),
    each type's sums of the additive columns equal the `overall` row's. Returns each grain
    and segment type that does not add up. -#}
{% test segments_add_up_to_overall(model, additive_columns, grain=[]) %}

with

segmented as (

    select * from {{ model }}

),

segment_totals as (

    select
        {% for column in grain %}{{ column }}, {% endfor %}segment_type,
        {% for column in additive_columns -%}
            sum({{ column }}) as {{ column }}{{ "," if not loop.last }}
        {% endfor %}
    from segmented
    where segment_type <> 'overall'
    group by {% for column in grain %}{{ column }}, {% endfor %}segment_type

),

overall as (

    select * from segmented
    where segment_type = 'overall'

),

problems as (

    select
        {% for column in grain %}overall.{{ column }}, {% endfor %}segment_totals.segment_type
    from overall
    inner join segment_totals
        on {% for column in grain %}overall.{{ column }} = segment_totals.{{ column }} and {% endfor %}1 = 1
    where
        {% for column in additive_columns -%}
            overall.{{ column }} <> segment_totals.{{ column }}{{ " or" if not loop.last }}
        {% endfor %}

)

select * from problems

{% endtest %}
