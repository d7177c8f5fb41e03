{#- Calendar periods (months, quarters, years) of metrics.retention_by_segment. -#}
{#- The calendar period types of metrics.retention_by_segment and their length in months. -#}
{% macro period_types() -%}
    {{- return([('month', 1), ('quarter', 3), ('year', 12)]) -}}
{%- endmacro %}

{#- The first day of the calendar period (month, quarter or year) holding a date, typed date. -#}
{% macro period_of(period_type, date_expression) -%}
    cast({{ dbt.date_trunc(period_type, date_expression) }} as date)
{%- endmacro %}

{#- A customer-period roll-up of the CTE `parts` (customer_id, period_start of periods of
    part_type, is_active_at_start, is_active_at_end, completed_orders, revenue,
    cohort_month) to periods of period_type (their lengths from period_types()): active at the
    start when active at the start of the first part, at the end when active at the end of
    the last part; orders and revenue summed. A customer without a row in a part is not
    active at its boundaries (int_customer_months' rule). -#}
{% macro roll_up_periods(parts, period_type, part_type) -%}
    {%- set length_months = dict(period_types()) -%}
    {%- set period_start = period_of(period_type, 'period_start') -%}
    {%- set last_part_start = add_months(length_months[period_type] - length_months[part_type], period_start) -%}
    select
        customer_id,
        {{ period_start }} as period_start,
        max(case when period_start = {{ period_start }} and is_active_at_start then 1 else 0 end) = 1
            as is_active_at_start,
        max(case when period_start = {{ last_part_start }} and is_active_at_end then 1 else 0 end) = 1
            as is_active_at_end,
        cast(sum(completed_orders) as {{ type_count() }}) as completed_orders,
        {#- One customer's year stays far below 10^16: narrow money. -#}
        cast(sum(revenue) as {{ type_money() }}) as revenue,
        max(cohort_month) as cohort_month
    from {{ parts }}
    group by customer_id, {{ period_start }}
{%- endmacro %}
