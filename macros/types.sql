{#- Column types shared by every model, so that each engine returns the same types.
    Engines widen decimals and pick float widths differently: cast explicitly. -#}

{#- Money at input grain: order amounts, marketing spend. -#}
{% macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'customer_value')()) }}
{%- endmacro %}
{% macro default__type_money() -%}decimal(18, 2){%- endmacro %}

{#- Sums of money (revenue, spend): wide enough for any realistic shop. -#}
{% macro type_money_sum() -%}
    {{ return(adapter.dispatch('type_money_sum', 'customer_value')()) }}
{%- endmacro %}
{% macro default__type_money_sum() -%}decimal(38, 2){%- endmacro %}

{#- Ratios and derived measures (aov, rates, clv): 8-byte floating point everywhere.
    dbt.type_float() is a 4-byte REAL on DuckDB, hence this macro. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer_value')()) }}
{%- endmacro %}
{% macro default__type_double() -%}double precision{%- endmacro %}
{% macro spark__type_double() -%}double{%- endmacro %}

{#- Counts of rows or customers. -#}
{% macro type_count() -%}bigint{%- endmacro %}

{#- A ratio whose zero (or null) denominator gives null, never an error and never 0. -#}
{% macro safe_ratio(numerator, denominator) -%}
    cast({{ numerator }} as {{ type_double() }})
    / cast(nullif({{ denominator }}, 0) as {{ type_double() }})
{%- endmacro %}

{#- The date part of a timestamp, and the first day of its month, both typed date. -#}
{% macro to_date(expression) -%}cast({{ expression }} as date){%- endmacro %}
{% macro month_of(expression) -%}
    cast({{ dbt.date_trunc('month', expression) }} as date)
{%- endmacro %}

{#- Whole days from one date to another, as an integer on every engine. -#}
{% macro days_between(from_date, to_date) -%}
    cast({{ dbt.datediff(from_date, to_date, 'day') }} as integer)
{%- endmacro %}

{#- Whole calendar months from one first-of-month date to another, as an integer. -#}
{% macro months_between(from_month, to_month) -%}
    cast({{ dbt.datediff(from_month, to_month, 'month') }} as integer)
{%- endmacro %}

{#- A date shifted by a whole number of days or months, typed date. -#}
{% macro add_days(days, date_expression) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}
{% macro add_months(months, date_expression) -%}
    cast({{ dbt.dateadd('month', months, date_expression) }} as date)
{%- endmacro %}

{#- The number of rows where a condition holds, as a count. -#}
{% macro count_where(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as {{ type_count() }})
{%- endmacro %}
