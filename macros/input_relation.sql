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
        {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', var('source_schema', 'raw') | string) -%}
            {{ exceptions.raise_compiler_error(
                "var 'source_schema' must be a plain schema name (letters, digits, _), got: " ~ var('source_schema')) }}
        {%- endif -%}
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
    {%- set empty_table -%}
        (select {% for column in columns %}cast(null as {{ dbt.type_string() }}) as {{ column[0] }}{{ ", " if not loop.last }}{% endfor %} where 1 = 0)
    {%- endset -%}
    {%- if not execute -%}
        {#- Parsing: the files are only looked at when the model runs. -#}
        {{ return(empty_table) }}
    {%- endif -%}
    {%- set folder = data_dir.rstrip('/') -%}
    {%- set candidates = [] -%}
    {%- for extension in ['csv', 'parquet'] -%}
        {%- set path = folder ~ '/' ~ table_name ~ '.' ~ extension -%}
        {%- set found = run_query("select count(*) from glob(" ~ sql_string(path) ~ ")").columns[0].values()[0] -%}
        {%- if found > 0 %}{% do candidates.append((path, extension)) %}{% endif -%}
    {%- endfor -%}
    {%- if candidates | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "data_dir holds both " ~ table_name ~ ".csv and " ~ table_name ~ ".parquet in " ~ folder ~ ": keep one.") }}
    {%- elif candidates | length == 0 -%}
        {%- if is_required -%}
            {{ exceptions.raise_compiler_error(
                "Missing input file: " ~ folder ~ "/" ~ table_name ~ ".csv (or .parquet) is required.") }}
        {%- endif -%}
        {{ return(empty_table) }}
    {%- endif -%}
    {%- set path, extension = candidates[0] -%}
    {%- if extension == 'csv' -%}
        {#- A fixed dialect (comma, double quotes, a header row, every value as text): nothing
            is guessed, so a file in another dialect fails on its columns, by name. -#}
        {%- set reader = "read_csv(" ~ sql_string(path)
            ~ ", header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')" -%}
    {%- else -%}
        {%- set reader = "read_parquet(" ~ sql_string(path) ~ ")" -%}
    {%- endif -%}
    {%- set present = {} -%}
    {%- set header = run_query("select * from " ~ reader ~ " limit 0").column_names -%}
    {%- for name in header -%}
        {%- do present.update({name | lower | trim: name}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in columns if column[1] and column[0] not in present -%}
        {%- do missing.append(column[0]) -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- if header | list == ['column0'] -%}
            {%- set rows = run_query("select count(*) from (select 1 from " ~ reader ~ " limit 1) as first_row").columns[0].values()[0] -%}
            {%- if rows == 0 -%}
                {#- An empty file (not even a header) is a valid, empty input. -#}
                {{ return(empty_table) }}
            {%- endif -%}
        {%- endif -%}
        {%- set found = namespace(hint="") -%}
        {%- if header | length == 1 -%}
            {%- for separator, label in [(';', 'semicolons'), ('\t', 'tabs'), ('|', 'pipes')] -%}
                {%- if separator in header[0] and not found.hint -%}
                    {%- set found.hint = " The header looks separated by " ~ label
                        ~ ": input CSV files must be comma-separated." -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            "Input file " ~ path ~ " has no column '" ~ missing[0] ~ "' (required). Columns found: "
            ~ (header | join(', ')) ~ "." ~ found.hint) }}
    {%- endif -%}
    (select
    {%- for column in columns %}
        {% if column[0] in present -%}
            {{ adapter.quote(present[column[0]]) }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif %} as {{ column[0] }}{{ ", " if not loop.last }}
    {%- endfor %}
    from {{ reader }})
{%- endmacro %}

{#- A SQL string literal, quotes doubled, so that a path with quotes cannot break out. -#}
{% macro sql_string(text) -%}
    {{- return("'" ~ (text | string | replace("'", "''")) ~ "'") -}}
{%- endmacro %}

{#- The names of an input table's columns, in order. -#}
{% macro input_column_names(table_name) -%}
    {%- set names = [] -%}
    {%- for column in input_columns(table_name) -%}
        {%- do names.append(column[0]) -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}

{#- Every column of an input table as text, named <column>_raw: what staging types and checks,
    and what the quarantine shows. -#}
{% macro raw_text_columns(table_name) -%}
    {%- for column in input_column_names(table_name) %}
        cast({{ column }} as {{ dbt.type_string() }}) as {{ column }}_raw{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
