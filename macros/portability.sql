{#- Engine differences the models need, dispatched per engine (decision log D30, D31). -#}

{#- A cast that gives null instead of failing on a value that does not convert. -#}
{% macro try_cast_as(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_as', 'customer_value')(expression, data_type)) }}
{%- endmacro %}
{% macro default__try_cast_as(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
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

{#- DuckDB's resources: its own defaults (every core, 80 % of the memory) unless the environment
    caps them with DUCKDB_THREADS (a whole number) and DUCKDB_MEMORY_LIMIT (e.g. 3GB). Set
    before every run: the settings hold for the database, the Python models included. -#}
{% macro duckdb_resource_limits() -%}
    {%- set threads = env_var('DUCKDB_THREADS', '') | trim -%}
    {%- set memory_limit = env_var('DUCKDB_MEMORY_LIMIT', '') | trim -%}
    {%- if target.type == 'duckdb' and threads -%}
        {%- if not threads.isdigit() or threads | int < 1 -%}
            {{ exceptions.raise_compiler_error(
                "DUCKDB_THREADS must be a whole number of threads (1 or more), e.g. 4; it is '" ~ threads ~ "'."
            ) }}
        {%- endif -%}
        set threads = {{ threads | int }};
    {% endif -%}
    {%- if target.type == 'duckdb' and memory_limit -%}
        set memory_limit = {{ sql_string(memory_limit) }};
    {% endif -%}
    select 1
{%- endmacro %}

{#- Whether a table or view exists, and its columns in order, asked of the database itself
    (dbt's relation cache does not see what hooks rename, and its own lookups open a
    transaction that a hook would leave uncommitted). -#}
{% macro relation_exists(schema_name, identifier) -%}
    {{- return(adapter.dispatch('relation_exists', 'customer_value')(schema_name, identifier)) -}}
{%- endmacro %}
{% macro default__relation_exists(schema_name, identifier) -%}
    {%- set found = run_query(
        "select count(*) from information_schema.tables where lower(table_schema) = lower("
        ~ sql_string(schema_name) ~ ") and lower(table_name) = lower(" ~ sql_string(identifier) ~ ")"
    ).columns[0].values()[0] -%}
    {{- return(found > 0) -}}
{%- endmacro %}
{% macro spark__relation_exists(schema_name, identifier) -%}
    {{- return(adapter.get_relation(database=none, schema=schema_name, identifier=identifier) is not none) -}}
{%- endmacro %}

{% macro relation_columns(schema_name, identifier) -%}
    {{- return(adapter.dispatch('relation_columns', 'customer_value')(schema_name, identifier)) -}}
{%- endmacro %}
{% macro default__relation_columns(schema_name, identifier) -%}
    {{- return(run_query(
        "select column_name from information_schema.columns where lower(table_schema) = lower("
        ~ sql_string(schema_name) ~ ") and lower(table_name) = lower(" ~ sql_string(identifier)
        ~ ") order by ordinal_position"
    ).columns[0].values() | list) -}}
{%- endmacro %}
{% macro spark__relation_columns(schema_name, identifier) -%}
    {%- set relation = adapter.get_relation(database=none, schema=schema_name, identifier=identifier) -%}
    {{- return(adapter.get_columns_in_relation(relation) | map(attribute='name') | list) -}}
{%- endmacro %}

{#- The SQL a hook returns for several statements: one text that dbt runs and commits as a
    whole; Spark's session runs one statement at a time, so there they run one by one as
    the hook renders (Spark has no transactions to commit). -#}
{% macro hook_statements(statements) -%}
    {{- return(adapter.dispatch('hook_statements', 'customer_value')(statements)) -}}
{%- endmacro %}
{% macro default__hook_statements(statements) -%}
    {{- return(statements | join(';\n')) -}}
{%- endmacro %}
{% macro spark__hook_statements(statements) -%}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{- return('select 1') -}}
{%- endmacro %}

{#- The values of TEXT in a group joined with ', ', in the order of SORT_KEYS (expressions,
    ascending): dbt.listagg, whose order Spark ignores, hence Spark's own version. -#}
{% macro ordered_list(text, sort_keys) -%}
    {{- return(adapter.dispatch('ordered_list', 'customer_value')(text, sort_keys)) -}}
{%- endmacro %}
{% macro default__ordered_list(text, sort_keys) -%}
    {{ dbt.listagg(text, "', '", "order by " ~ (sort_keys | join(', '))) }}
{%- endmacro %}
{% macro spark__ordered_list(text, sort_keys) -%}
    array_join(transform(array_sort(collect_list(struct(
        {%- for key in sort_keys %}{{ key }} as k{{ loop.index }}, {% endfor %}{{ text }} as v
    ))), x -> x.v), ', ')
{%- endmacro %}

{#- In a group, VALUE on the row with the smallest KEY (the key must be unique in the group):
    DuckDB's arg_min, Spark's min_by; PostgreSQL has neither, the first of the values ordered
    by the key. One pass over the group, no join back to its minimum. -#}
{% macro value_at_min(value, key) -%}
    {{- return(adapter.dispatch('value_at_min', 'customer_value')(value, key)) -}}
{%- endmacro %}
{% macro default__value_at_min(value, key) -%}
    arg_min({{ value }}, {{ key }})
{%- endmacro %}
{% macro spark__value_at_min(value, key) -%}
    min_by({{ value }}, {{ key }})
{%- endmacro %}
{% macro postgres__value_at_min(value, key) -%}
    (array_agg({{ value }} order by {{ key }}))[1]
{%- endmacro %}
