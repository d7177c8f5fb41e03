{#- The columns of each input table: (name, is the column required in a data_dir file).
    A missing optional column reads as null; a missing required one stops the build. -#}
{% macro input_columns(table_name) -%}
    {%- set columns = {
        'orders': [
            ('order_id', true),
            ('customer_id', true),
            ('ordered_at', true),
            ('amount', true),
            ('status', true),
        ],
        'customers': [
            ('customer_id', true),
            ('signed_up_at', false),
            ('acquisition_channel', false),
            ('country', false),
        ],
        'survey_responses': [
            ('response_id', true),
            ('customer_id', false),
            ('survey_type', true),
            ('score', true),
            ('responded_at', true),
        ],
        'marketing_spend': [
            ('spent_on', true),
            ('channel', true),
            ('amount', true),
        ],
    } -%}
    {{- return(columns[table_name]) -}}
{%- endmacro %}

{#- Where an input table is read from, as a relation or a parenthesised query that has
    exactly the input's columns (extra columns in a file are ignored):
    - without data_dir: the source table (the demo seeds in schema raw by default);
    - with data_dir: DATA_DIR/<table>.csv or .parquet; an absent optional file reads as an
      empty table, an absent `orders` file or a missing required column stops the build with
      a message naming the file and the column. -#}
{% macro input_relation(table_name, is_required=false) -%}
    {%- set data_dir = var('data_dir', none) -%}
    {%- if data_dir is none or (data_dir | string | trim) == '' -%}
        {%- if var('source_schema', 'raw') == 'raw' -%}
            {#- The demo seeds load the source tables: build them first. -#}
            -- depends_on: {{ ref('demo_' ~ table_name) }}
        {%- endif %}
        {{ source('shop', table_name) }}
    {%- else -%}
        {{ return(adapter.dispatch('file_relation', 'customer_value')(data_dir | string, table_name, is_required)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__file_relation(data_dir, table_name, is_required) -%}
    {{ exceptions.raise_compiler_error(
        "data_dir reads files in place on DuckDB only. On " ~ target.type
        ~ ", load the files into the source schema (see the README) and leave data_dir unset.") }}
{%- endmacro %}

{% macro duckdb__file_relation(data_dir, table_name, is_required) -%}
    {%- set columns = input_columns(table_name) -%}
    {%- if not execute -%}
        {#- Parsing: the files are only looked at when the model runs. -#}
        (select {% for column in columns %}cast(null as {{ dbt.type_string() }}) as {{ column[0] }}{{ ", " if not loop.last }}{% endfor %})
    {%- else -%}
        {%- set folder = data_dir.rstrip('/') -%}
        {%- set candidates = [] -%}
        {%- for extension in ['csv', 'parquet'] -%}
            {%- set path = folder ~ '/' ~ table_name ~ '.' ~ extension -%}
            {%- set found = run_query("select count(*) from glob(" ~ sql_string(path) ~ ")").columns[0].values()[0] -%}
            {%- if found > 0 %}{% do candidates.append((path, extension)) %}{% endif -%}
        {%- endfor -%}
        {%- if candidates | length > 1 -%}
            {{ exceptions.raise_compiler_error(
                "data_dir holds both " ~ table_name ~ ".csv and " ~ table_name ~ ".parquet in " ~ folder
                ~ ": keep one.") }}
        {%- elif candidates | length == 0 -%}
            {%- if is_required -%}
                {{ exceptions.raise_compiler_error(
                    "Missing input file: " ~ folder ~ "/" ~ table_name ~ ".csv (or .parquet) is required.") }}
            {%- endif -%}
            (select {% for column in columns %}cast(null as {{ dbt.type_string() }}) as {{ column[0] }}{{ ", " if not loop.last }}{% endfor %} where 1 = 0)
        {%- else -%}
            {%- set path, extension = candidates[0] -%}
            {%- if extension == 'csv' -%}
                {%- set reader = "read_csv(" ~ sql_string(path) ~ ", header = true, all_varchar = true)" -%}
            {%- else -%}
                {%- set reader = "read_parquet(" ~ sql_string(path) ~ ")" -%}
            {%- endif -%}
            {%- set present = {} -%}
            {%- for name in run_query("select * from " ~ reader ~ " limit 0").column_names -%}
                {%- do present.update({name | lower | trim: name}) -%}
            {%- endfor -%}
            (select
            {%- for column in columns %}
                {% if column[0] in present -%}
                    {{ adapter.quote(present[column[0]]) }}
                {%- elif column[1] -%}
                    {{ exceptions.raise_compiler_error(
                        "Input file " ~ path ~ " has no column '" ~ column[0] ~ "' (required). Columns found: "
                        ~ (present.values() | list | join(', '))) }}
                {%- else -%}
                    cast(null as {{ dbt.type_string() }})
                {%- endif %} as {{ column[0] }}{{ ", " if not loop.last }}
            {%- endfor %}
            from {{ reader }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A SQL string literal, quotes doubled, so that a path with quotes cannot break out. -#}
{% macro sql_string(text) -%}
    {{- return("'" ~ (text | string | replace("'", "''")) ~ "'") -}}
{%- endmacro %}
