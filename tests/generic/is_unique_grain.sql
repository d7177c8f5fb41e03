{#- The grain of a model: no two rows share these columns' values, and none is null (unlike
    dbt_utils' unique_combination_of_columns, which lets nulls through: decision log D36). -#}
{% test is_unique_grain(model, combination_of_columns) %}

with

keyed as (

    select {{ combination_of_columns | join(', ') }}
    from {{ model }}

),

problems as (

    select {{ combination_of_columns | join(', ') }}, count(*) as row_count
    from keyed
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

    union all

    select {{ combination_of_columns | join(', ') }}, 1 as row_count
    from keyed
    where {% for column in combination_of_columns %}{{ column }} is null{{ " or " if not loop.last }}{% endfor %}

)

select * from problems

{% endtest %}
