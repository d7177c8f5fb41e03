{#- Helpers for screening input rows: every row is either accepted or quarantined with the
    first failing check's column and reason (see docs/decision_log.md, D22). -#}

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

{#- A hash of values, to tell identical copies of a keyed row from conflicting ones. Each
    value is written as its length, a colon and its text, and a null as '-', so that no two
    different rows of values give the same text (null and empty text differ too). -#}
{% macro values_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set text = "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")" -%}
        {%- do parts.append("coalesce(" ~ dbt.concat(["cast(" ~ dbt.length(text) ~ " as " ~ dbt.type_string() ~ ")", "':'", text]) ~ ", '-')") -%}
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

{#- The screening result of a staging row after the duplicate checks: rejected_column,
    rejection_reason (the first failure, duplicates last) and raw_row (the raw values of
    INPUT_COLUMNS, kept for rejected rows only). -#}
{% macro screening_columns(key_column, input_columns) -%}
    case when duplicate_reason is null then rejected_column else '{{ key_column }}' end as rejected_column,
    coalesce(rejection_reason, duplicate_reason) as rejection_reason,
    case
        when coalesce(rejection_reason, duplicate_reason) is not null
            then {{ raw_row(input_columns) }}
    end as raw_row
{%- endmacro %}

{#- A fingerprint of a row's raw values (COLUMNS of the input as read), to tell a changed
    input row from the one stored by the last build: a 64-bit hash on DuckDB, an md5
    elsewhere. A null and an empty value differ. -#}
{% macro row_fingerprint(columns) -%}
    {{- return(adapter.dispatch('row_fingerprint', 'customer_value')(columns)) -}}
{%- endmacro %}
{% macro default__row_fingerprint(columns) -%}
    {{ values_fingerprint(columns) }}
{%- endmacro %}
{% macro duckdb__row_fingerprint(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}
