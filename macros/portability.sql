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
