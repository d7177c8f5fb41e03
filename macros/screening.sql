{#- Helpers for screening input rows: every row is either accepted or quarantined with the
    first failing check's column and reason (see docs/decision_log.md, D22). -#}

{#- A cast that gives null instead of failing on a value that does not convert. -#}
{% macro try_cast_as(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_as', 'customer_value')(expression, data_type)) }}
{%- endmacro %}
{% macro default__try_cast_as(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- The trimmed text of a raw value, null when empty. -#}
{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- CASE expressions over checks given as (condition, column, reason), in priority order:
    the first failing check's reason, or its column. Null when every check passes. -#}
{% macro first_failure(checks, part) -%}
    case
        {%- for check in checks %}
        when {{ check[0] }} then '{{ check[1] if part == 'column' else check[2] }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- A readable rendering of the raw input values, 'name=value; ...', for the quarantine. -#}
{% macro raw_row(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("'" ~ ('; ' if not loop.first else '') ~ column ~ "='") -%}
        {%- do parts.append("coalesce(" ~ column ~ "_raw, '')") -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}

{#- A hash of normalised values, to tell identical copies of a keyed row from conflicting
    ones. Nulls are marked so that null and empty text differ. -#}
{% macro values_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#- Duplicate checks among the rows that passed every other check, keyed by key_column:
    all copies of a key whose values conflict are quarantined; of identical copies one is
    kept (the first by raw text, deterministic) and the others are quarantined. Expects the
    columns rejected_column, rejection_reason, raw_row and values_fingerprint. -#}
{% macro screen_duplicates(relation, key_column) -%}
    select
        *,
        case
            when rejection_reason is not null then null
            when min(values_fingerprint) over (partition by {{ key_column }}, rejection_reason)
                <> max(values_fingerprint) over (partition by {{ key_column }}, rejection_reason)
                then 'conflicting_duplicate'
            when row_number() over (partition by {{ key_column }}, rejection_reason order by raw_row) > 1
                then 'duplicate_copy'
        end as duplicate_reason
    from {{ relation }}
{%- endmacro %}
