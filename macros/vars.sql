{#- Validated access to the project's vars. Every var is checked before it reaches SQL, so
    that a wrong value fails with a clear message and no value can inject SQL. -#}

{% macro numeric_var(name, minimum=none, maximum=none, integer=false) -%}
    {%- set raw = var(name) -%}
    {%- set text = raw | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]+(\.[0-9]+)?', text) -%}
        {{ exceptions.raise_compiler_error("var '" ~ name ~ "' must be a non-negative number, got: " ~ text) }}
    {%- endif -%}
    {%- if integer and not modules.re.fullmatch('[0-9]+', text) -%}
        {{ exceptions.raise_compiler_error("var '" ~ name ~ "' must be a whole number, got: " ~ text) }}
    {%- endif -%}
    {%- set value = text | float -%}
    {%- if (minimum is not none and value < minimum) or (maximum is not none and value > maximum) -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be between " ~ minimum ~ " and " ~ maximum ~ ", got: " ~ text) }}
    {%- endif -%}
    {{- return(text | int if integer else value) -}}
{%- endmacro %}

{#- Window W of the activity definition. At least 31 days, so that a customer who orders in a
    month is still active at its end and E = S - L + N + R holds for every month. -#}
{% macro churn_window_days() -%}
    {{- return(numeric_var('churn_window_days', minimum=31, maximum=36500, integer=true)) -}}
{%- endmacro %}

{#- The as_of_date var as a SQL date literal, or a typed null when it is not set. -#}
{% macro as_of_date_var() -%}
    {%- set raw = var('as_of_date', none) -%}
    {%- if raw is none or (raw | string | trim) in ('', 'none', 'null') -%}
        cast(null as date)
    {%- else -%}
        {%- set text = raw | string | trim -%}
        {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
            {{ exceptions.raise_compiler_error("var 'as_of_date' must be a date as YYYY-MM-DD, got: " ~ text) }}
        {%- endif -%}
        cast('{{ text }}' as date)
    {%- endif -%}
{%- endmacro %}
