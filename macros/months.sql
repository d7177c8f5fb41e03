{#- The last complete month (its first day) for an as_of_date expression: the month before
    as_of_date's month, whose end (the first day of as_of_date's month) is <= as_of_date. -#}
{% macro last_complete_month(as_of_date) -%}
    {{ add_months(-1, month_of(as_of_date)) }}
{%- endmacro %}

{#- Expands a CTE of bounds (first_month, last_month, plus any key columns) into one row per
    month from first_month to last_month inclusive, with `month` and `next_month` (the
    exclusive end). Portable: a generated series of offsets, no recursive CTE; up to 1,200
    months (100 years). An empty or null-bounded CTE gives no rows. -#}
{% macro expand_months(bounds, key_columns=[]) -%}
    select
        {%- for column in key_columns %}
        {{ bounds }}.{{ column }},
        {%- endfor %}
        {{ add_months('month_offsets.month_offset', bounds ~ '.first_month') }} as month,
        {{ add_months('month_offsets.month_offset + 1', bounds ~ '.first_month') }} as next_month
    from {{ bounds }}
    cross join (
        select cast(generated_number - 1 as integer) as month_offset
        from ({{ dbt.generate_series(1200) }}) as series
    ) as month_offsets
    where {{ add_months('month_offsets.month_offset', bounds ~ '.first_month') }} <= {{ bounds }}.last_month
{%- endmacro %}
