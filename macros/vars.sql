{#- The project's vars, each checked before it reaches SQL: a wrong value stops the run (in
    the on-run-start hook, before any model runs) with a message saying what is expected,
    and no value can inject SQL. Every var declared in dbt_project.yml has a rule here. -#}

{% macro var_rules() -%}
    {{- return({
        'as_of_date': {'kind': 'date', 'meaning': 'the end of observation, exclusive'},
        'churn_window_days': {'kind': 'integer', 'minimum': 31, 'maximum': 36500, 'meaning': 'days'},
        'gross_margin_rate': {'kind': 'number', 'minimum': 0, 'maximum': 1, 'meaning': 'a share of revenue'},
        'annual_discount_rate': {'kind': 'number', 'minimum': 0, 'maximum': 10, 'meaning': 'a yearly rate'},
        'max_lifetime_years': {'kind': 'number', 'minimum': 0.01, 'maximum': 1000, 'meaning': 'years'},
        'max_quarantined_share': {'kind': 'number', 'minimum': 0, 'maximum': 1, 'meaning': 'a share of rows read'},
        'data_dir': {'kind': 'text', 'meaning': 'a folder of input files'},
        'source_schema': {'kind': 'identifier', 'meaning': 'a schema holding the input tables'},
        'incremental': {'kind': 'boolean', 'meaning': 'whether later builds are incremental'},
        'clv_model_time_unit': {'kind': 'choice', 'choices': ['week', 'day'], 'meaning': 'the time unit of the predictive CLV models'},
        'clv_horizon_months': {'kind': 'integer', 'minimum': 1, 'maximum': 1200, 'meaning': 'months of predicted CLV'},
        'clv_holdout_days': {'kind': 'integer', 'minimum': 1, 'maximum': 36500, 'meaning': 'days held out to check the predictive CLV models'},
    }) -}}
{%- endmacro %}

{#- The value of var NAME, checked against its rule (var_value_check): a wrong value stops
    the run with a message saying what is expected; none when unset. -#}
{% macro checked_var(name) -%}
    {%- set value, problem = var_value_check(name, var(name, none)) -%}
    {%- if problem -%}
        {{ exceptions.raise_compiler_error(problem) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{#- RAW, a value of var NAME, against its rule: a number, a whole number, a date 'YYYY-MM-DD'
    (a real day), a plain identifier, text, true/false, one of a list of choices. Returns
    [value, none] (value none when unset) or [none, the problem in words]. -#}
{% macro var_value_check(name, raw) -%}
    {%- set rule = var_rules()[name] -%}
    {%- set text = '' if raw is none else (raw | string | trim) -%}
    {%- if text in ('', 'none', 'None', 'null') -%}
        {{- return([none, none]) -}}
    {%- endif -%}
    {%- set problem = "var '" ~ name ~ "' (" ~ rule.meaning ~ ") must be " -%}
    {%- if rule.kind in ('number', 'integer') -%}
        {%- set pattern = '-?[0-9]+' if rule.kind == 'integer' else '-?[0-9]+(\.[0-9]+)?' -%}
        {%- set expected = ('a whole number' if rule.kind == 'integer' else 'a number')
            ~ ' from ' ~ rule.minimum ~ ' to ' ~ rule.maximum -%}
        {%- if not modules.re.fullmatch(pattern, text) or not (rule.minimum <= (text | float) <= rule.maximum) -%}
            {{- return([none, problem ~ expected ~ ", got: " ~ text]) -}}
        {%- endif -%}
        {{- return([text | int if rule.kind == 'integer' else text | float, none]) -}}
    {%- elif rule.kind == 'date' -%}
        {%- set parts = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', text) -%}
        {%- if not parts -%}
            {{- return([none, problem ~ "a date written YYYY-MM-DD, got: " ~ text]) -}}
        {%- endif -%}
        {%- set year, month, day = parts.group(1) | int, parts.group(2) | int, parts.group(3) | int -%}
        {%- set month_lengths = [31, 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {%- if year < 1 or not (1 <= month <= 12) or not (1 <= day <= month_lengths[month - 1]) -%}
            {{- return([none, problem ~ "a real day written YYYY-MM-DD, got: " ~ text ~ " (no such day)"]) -}}
        {%- endif -%}
    {%- elif rule.kind == 'identifier' -%}
        {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', text) -%}
            {{- return([none, problem ~ "a plain schema name (letters, digits, _), got: " ~ text]) -}}
        {%- endif -%}
    {%- elif rule.kind == 'choice' -%}
        {%- if text | lower not in rule.choices -%}
            {{- return([none, problem ~ "one of " ~ rule.choices | join(', ') ~ ", got: " ~ text]) -}}
        {%- endif -%}
        {{- return([text | lower, none]) -}}
    {%- elif rule.kind == 'boolean' -%}
        {%- if text | lower not in ('true', 'false') -%}
            {{- return([none, problem ~ "true or false, got: " ~ text]) -}}
        {%- endif -%}
        {{- return([text | lower == 'true', none]) -}}
    {%- endif -%}
    {{- return([text, none]) -}}
{%- endmacro %}

{#- `dbt run-operation check_var_values --args '{values: [[name, value], ...]}'`: each value
    checked as a build checks it, one log line each: `name=value: ok` or the problem in words.
    For trying values without a build (the tests check every rule through it). -#}
{% macro check_var_values(values) -%}
    {%- for name, raw in values -%}
        {%- if name not in var_rules() -%}
            {%- do log(name ~ ": not a var of this project", info=True) -%}
        {%- else -%}
            {%- set value, problem = var_value_check(name, raw) -%}
            {%- do log(name ~ "=" ~ raw ~ ": " ~ (problem or "ok"), info=True) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- Every var checked at once (the on-run-start hook), and the combinations that cannot work. -#}
{% macro validate_vars() -%}
    {%- for name in var_rules() -%}
        {%- do checked_var(name) -%}
    {%- endfor -%}
    {%- if checked_var('data_dir') is not none and checked_var('source_schema') is not none -%}
        {{ exceptions.raise_compiler_error(
            "Set either the var data_dir (a folder of files) or the var source_schema (a schema of tables), not both.") }}
    {%- endif -%}
{%- endmacro %}

{#- Window W of the activity definition. At least 31 days, so that a customer who orders in a
    month is still active at its end and E = S - L + N + R holds for every month. -#}
{% macro churn_window_days() -%}
    {{- return(checked_var('churn_window_days')) -}}
{%- endmacro %}

{#- The as_of_date var as a SQL date literal, or a typed null when it is not set. -#}
{% macro as_of_date_var() -%}
    {%- set value = checked_var('as_of_date') -%}
    {%- if value is none -%}
        cast(null as date)
    {%- else -%}
        cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}

{#- The time unit of the predictive CLV models: 'week' (as in the literature) or 'day'. -#}
{% macro clv_model_time_unit() -%}
    {{- return(checked_var('clv_model_time_unit') or 'week') -}}
{%- endmacro %}

{#- Days held out by the predictive CLV's holdout check (models/intermediate/int_clv_holdout_window). -#}
{% macro clv_holdout_days() -%}
    {{- return(checked_var('clv_holdout_days') or 273) -}}
{%- endmacro %}

{#- The first holdout day, as_of_date - var clv_holdout_days: the holdout check's models are
    fitted on the orders before it (int_clv_holdout_window; int_clv_purchase_histories splits
    each customer's purchase days at it). AS_OF_DATE: an expression of the end of observation. -#}
{% macro clv_calibration_end_date(as_of_date) -%}
    cast({{ add_days(-clv_holdout_days(), as_of_date) }} as date)
{%- endmacro %}

{#- Days in that time unit (customer_value/btyd.py's DAYS_PER_UNIT says the same to the
    Python models). -#}
{% macro clv_days_per_unit() -%}
    {{- return(7 if clv_model_time_unit() == 'week' else 1) -}}
{%- endmacro %}
