{#- Unit-test fixture rows typed as text whatever the input's types where the user keeps them:
    `format: sql` fixtures of source('shop', ...) call it, so that the staging unit tests
    pass on files, warehouse tables and every engine alike. ROWS are lists of values in the
    order of COLUMNS; none is a null. (YAML cannot call macros directly: the call is wrapped
    in raw tags and rendered when the fixture is compiled.) -#}
{% macro text_rows(columns, rows) -%}
    {%- for row in (rows or [none]) %}
    select
        {%- for column in columns %}
        cast({{ 'null' if row is none or row[loop.index0] is none else sql_string(row[loop.index0]) }}
            as {{ dbt.type_string() }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    {{ 'where 1 = 0' if row is none }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
