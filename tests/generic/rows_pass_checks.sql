{#- Every row-level check of a model in one scan (decision log D44): one failing row per check
    that some row breaks, with the check and the count of rows breaking it.
      not_null: [column, ...]                       the column is never null
      within_range: {column: {min_value, max_value}} a non-null value lies in the bounds
      accepted_values: {column: {values, quote}}    a non-null value is one of the values
      is_true: [expression | {expression, where}]   true for every row (a null fails), or
                                                    for every row where `where` is true
    A null counts as a failure in is_true only, as in the one-check tests they replace:
    dbt's not_null and accepted_values, within_range and is_true_for_every_row (D36). -#}
{% test rows_pass_checks(model, not_null=[], within_range={}, accepted_values={}, is_true=[]) %}

{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append((column ~ ' is not null', column ~ ' is not null')) -%}
{%- endfor -%}
{%- for column, bounds in within_range.items() -%}
    {%- set limits = [] -%}
    {%- if bounds.get('min_value') is not none -%}{%- do limits.append(column ~ ' >= ' ~ bounds['min_value']) -%}{%- endif -%}
    {%- if bounds.get('max_value') is not none -%}{%- do limits.append(column ~ ' <= ' ~ bounds['max_value']) -%}{%- endif -%}
    {%- do checks.append((limits | join(' and '), column ~ ' is null or (' ~ limits | join(' and ') ~ ')')) -%}
{%- endfor -%}
{%- for column, accepted in accepted_values.items() -%}
    {%- set quote = accepted.get('quote', true) -%}
    {%- set values = [] -%}
    {%- for value in accepted['values'] -%}
        {%- do values.append("'" ~ value ~ "'" if quote else value | string) -%}
    {%- endfor -%}
    {%- set condition = column ~ ' in (' ~ values | join(', ') ~ ')' -%}
    {%- do checks.append((condition, column ~ ' is null or ' ~ condition)) -%}
{%- endfor -%}
{%- for check in is_true -%}
    {%- if check is mapping -%}
        {%- do checks.append((check.expression ~ ' where ' ~ check.where,
            'case when coalesce((' ~ check.where ~ '), false) then coalesce((' ~ check.expression ~ '), false) else true end')) -%}
    {%- else -%}
        {%- do checks.append((check, 'coalesce((' ~ check ~ '), false)')) -%}
    {%- endif -%}
{%- endfor -%}

with counted as (

    select
        {%- for label, condition in checks %}
        sum(case when {{ condition }} then 0 else 1 end) as failed_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

failures as (

    {%- for label, condition in checks %}
    select
        {{ loop.index }} as check_number,
        '{{ label | replace("'", '"') | replace('\\', '/') }}' as failed_check,
        failed_{{ loop.index }} as failing_rows
    from counted
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from failures
where failing_rows > 0

{% endtest %}
