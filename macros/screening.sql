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

{#- A readable rendering of a row's values, 'name=value; ...', for the quarantine: by default
    of the raw input columns (named <column>_raw), or of any columns named prefix<column>. -#}
{% macro raw_row(columns, prefix='', suffix='_raw') -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("'" ~ ('; ' if not loop.first else '') ~ column ~ "='") -%}
        {%- do parts.append("coalesce(cast(" ~ prefix ~ column ~ suffix ~ " as " ~ dbt.type_string() ~ "), '')") -%}
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
    kept (the first by tie_breaker, the raw text: deterministic) and the others are
    quarantined. Only keys that occur more than once are fingerprinted and ranked, so clean
    data costs one aggregation and an anti-join. Expects the column rejection_reason; takes
    the columns whose normalised values tell copies apart; adds duplicate_reason. -#}
{% macro screen_duplicates(relation, key_column, value_columns, tie_breaker) -%}
    with

    repeated_keys as (

        select {{ key_column }} as repeated_key
        from {{ relation }}
        where rejection_reason is null
        group by {{ key_column }}
        having count(*) > 1

    ),

    single_copies as (

        select
            {{ relation }}.*,
            cast(null as {{ dbt.type_string() }}) as duplicate_reason
        from {{ relation }}
        left join repeated_keys
            on {{ relation }}.{{ key_column }} = repeated_keys.repeated_key
        where repeated_keys.repeated_key is null or {{ relation }}.rejection_reason is not null

    ),

    repeated_copies as (

        select
            {{ relation }}.*,
            case
                when min({{ values_fingerprint(value_columns) }}) over (partition by {{ relation }}.{{ key_column }})
                    <> max({{ values_fingerprint(value_columns) }}) over (partition by {{ relation }}.{{ key_column }})
                    then 'conflicting_duplicate'
                when row_number() over (
                    partition by {{ relation }}.{{ key_column }} order by {{ tie_breaker }}
                ) > 1
                    then 'duplicate_copy'
            end as duplicate_reason
        from {{ relation }}
        inner join repeated_keys
            on {{ relation }}.{{ key_column }} = repeated_keys.repeated_key
        where {{ relation }}.rejection_reason is null

    )

    select * from single_copies
    union all
    select * from repeated_copies
{%- endmacro %}

{#- True when a parsed amount has more than two decimals: its exact decimal(18, 2) reading
    differs from its floating-point reading by more than rounding noise. (Parsing text into
    a wide decimal is much slower than into a double.) -#}
{% macro more_than_two_decimals(number, money) -%}
    abs({{ number }} - cast({{ money }} as {{ type_double() }})) > 1e-9 * greatest(1, abs({{ number }}))
{%- endmacro %}

{#- The last check, which needs as_of_date: a row accepted by staging whose timestamp is at or
    after as_of_date is a future row. Gives the three screening columns (rejected_column,
    rejection_reason, raw_row) of ALIAS, a staging relation cross-joined with as_of; a
    future row's raw_row shows its values as typed (staging keeps raw text only for the rows
    it rejects). -#}
{% macro future_row_screening(alias, timestamp_column, table_name) -%}
    {%- set is_future = alias ~ ".rejection_reason is null and " ~ alias ~ "." ~ timestamp_column
        ~ " >= as_of.as_of_date" -%}
    case when {{ is_future }} then '{{ timestamp_column }}' else {{ alias }}.rejected_column end
        as rejected_column,
    case when {{ is_future }} then 'at_or_after_as_of_date' else {{ alias }}.rejection_reason end
        as rejection_reason,
    case
        when {{ is_future }} then {{ raw_row(input_column_names(table_name), alias ~ '.', '') }}
        else {{ alias }}.raw_row
    end as raw_row
{%- endmacro %}

{#- The screening result of a staging row after the duplicate checks: rejected_column,
    rejection_reason (the first failure, duplicates last) and raw_row (the raw input values,
    kept for rejected rows only). -#}
{% macro screening_columns(key_column, table_name) -%}
    case when duplicate_reason is null then rejected_column else '{{ key_column }}' end as rejected_column,
    coalesce(rejection_reason, duplicate_reason) as rejection_reason,
    case
        when coalesce(rejection_reason, duplicate_reason) is not null
            then {{ raw_row(input_column_names(table_name)) }}
    end as raw_row
{%- endmacro %}

{#- Counts of NPS responses by category, for a relation with an nps_category column. -#}
{% macro nps_category_counts() -%}
    {{ count_where("nps_category = 'promoter'") }} as promoters,
    {{ count_where("nps_category = 'passive'") }} as passives,
    {{ count_where("nps_category = 'detractor'") }} as detractors
{%- endmacro %}

{#- PostgreSQL has no try_cast: a helper function, created by the on-run-start hook
    (create_engine_functions), casts and gives null when the cast fails. The cast runs on
    the value's text, to the target type without modifiers; the outer cast applies them. -#}
{% macro postgres__try_cast_as(expression, data_type) -%}
    {%- set cast = 'cast(' ~ target.schema ~ '.try_cast_text(cast(' ~ expression ~ ' as text), cast(null as '
        ~ data_type ~ ')) as ' ~ data_type ~ ')' -%}
    {%- if 'timestamp' in data_type | lower or 'date' in data_type | lower -%}
        {#- Only dates written as digits: PostgreSQL also reads 'yesterday' or 'now', which
            would tie the result to the clock. -#}
        case when cast({{ expression }} as text) ~ '^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}' then {{ cast }} end
    {%- else -%}
        {{ cast }}
    {%- endif -%}
{%- endmacro %}

{#- Functions an engine lacks, created before every run (a no-op where nothing is missing). -#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'customer_value')()) }}
{%- endmacro %}
{% macro default__create_engine_functions() -%}
    select 1
{%- endmacro %}
{% macro postgres__create_engine_functions() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.try_cast_text(value text, target anyelement)
    returns anyelement
    language plpgsql
    immutable
    as $function$
    begin
        execute format('select cast(%L as %s)', value, pg_typeof(target)) into target;
        return target;
    exception when others then
        return null;
    end
    $function$
{%- endmacro %}
