{#- The shop's inputs. They are declared once, as the tables and columns of the source `shop`
    (models/staging/sources.yml); these macros read that declaration from the graph.
    Before every run the on-run-start hook prepare_inputs makes one view per input in the
    schema `inputs`, with exactly the declared columns as text, over the files of data_dir
    (DuckDB) or the tables of source_schema; the staging models read those views through
    source('shop', ...) in every mode (decision log D32). -#}

{#- The source node of one input table. -#}
{% macro input_source(table_name) -%}
    {{- return(graph.sources['source.' ~ project_name ~ '.shop.' ~ table_name]) -}}
{%- endmacro %}

{#- The input tables' names, in the order they are declared. -#}
{% macro input_tables() -%}
    {%- set names = [] -%}
    {%- for node in graph.sources.values() if node.source_name == 'shop' -%}
        {%- do names.append(node.name) -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}

{#- An input's columns as (name, is required), in declared order. Empty while dbt parses
    the project (the graph is not built yet); nothing is run then. -#}
{% macro input_columns(table_name) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for column in input_source(table_name).columns.values() -%}
            {%- do columns.append((column.name, column.meta.get('required', false) is sameas true)) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(columns) -}}
{%- endmacro %}

{#- The names of an input's columns, in order. -#}
{% macro input_column_names(table_name) -%}
    {%- set names = [] -%}
    {%- for column in input_columns(table_name) -%}
        {%- do names.append(column[0]) -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}

{#- The input columns a staging model reads (COLUMNS, the names declared in sources.yml) as
    text, named <column>_raw: what staging types and checks, and what the quarantine shows. -#}
{% macro raw_text_columns(columns) -%}
    {%- for column in columns %}
        cast({{ column }} as {{ dbt.type_string() }}) as {{ column }}_raw{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The schema of the input views. -#}
{% macro inputs_schema() -%}inputs{%- endmacro %}

{#- The on-run-start hook: checks every var, then makes the input views. A missing required
    input or column, or a file that cannot be read as documented, stops the run here, before
    any model runs, with a message naming the file (or table) and the column. -#}
{% macro prepare_inputs() -%}
    {%- if not execute -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- do validate_vars() -%}
    {%- if target.type != 'duckdb' and builds_models() -%}
        {%- do log("customer_value: the predictive CLV (metrics.clv_model_parameters, marts.customer_predictions, metrics.clv_model_holdout) is made by dbt Python models, which dbt runs on DuckDB only: skipped on " ~ target.type ~ ".", info=True) -%}
    {%- endif -%}
    {%- set statements = [create_schema_sql(inputs_schema())] -%}
    {%- for table_name in input_tables() -%}
        {%- if checked_var('source_schema') is not none -%}
            {%- set reader = input_table_reader(checked_var('source_schema'), table_name) -%}
        {%- else -%}
            {%- set reader = adapter.dispatch('input_file_reader', 'customer_value')(input_folder(), table_name) -%}
        {%- endif -%}
        {%- do statements.append(
            'create or replace view ' ~ inputs_schema() ~ '.' ~ table_name ~ ' as ' ~ reader
        ) -%}
    {%- endfor -%}
    {{- return(hook_statements(statements)) -}}
{%- endmacro %}

{% macro create_schema_sql(schema_name) -%}
    {{- return(adapter.dispatch('create_schema_sql', 'customer_value')(schema_name)) -}}
{%- endmacro %}
{% macro default__create_schema_sql(schema_name) -%}
    {{- return('create schema if not exists ' ~ schema_name) -}}
{%- endmacro %}
{% macro spark__create_schema_sql(schema_name) -%}
    {{- return('create database if not exists ' ~ schema_name) -}}
{%- endmacro %}

{#- The folder of the input files: the var data_dir, or the bundled demo files, in the project
    folder: DBT_PROJECT_DIR (which dbt also reads for --project-dir), else the folder dbt runs
    in, as for the Python models' module path (profiles.yml) and the database path. -#}
{% macro input_folder() -%}
    {%- set folder = checked_var('data_dir') -%}
    {%- if folder is none -%}
        {%- set project_dir = env_var('DBT_PROJECT_DIR', '') -%}
        {%- set folder = (project_dir.rstrip('/') ~ '/' if project_dir else '') ~ 'data/demo' -%}
    {%- endif -%}
    {{- return(folder.rstrip('/')) -}}
{%- endmacro %}

{#- A query with exactly the input's declared columns, as text, from its columns in COLUMNS_FOUND
    (names as found, matched case-insensitively and without surrounding spaces) read from
    READER; an absent optional column is null. DESCRIPTION names the input in messages. -#}
{% macro declared_columns_query(table_name, columns_found, reader, description) -%}
    {%- set present = {} -%}
    {%- for name in columns_found -%}
        {%- do present.update({name | lower | trim: name}) -%}
    {%- endfor -%}
    {%- for column, is_required in input_columns(table_name) if is_required and column not in present -%}
        {%- if loop.first -%}
            {{ exceptions.raise_compiler_error(
                description ~ " has no column '" ~ column ~ "', which is required. Columns found: "
                ~ (columns_found | join(', ')) ~ ". Add the column (names are matched ignoring case).") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set selected = [] -%}
    {%- for column in input_column_names(table_name) -%}
        {%- if column in present -%}
            {%- do selected.append('cast(' ~ adapter.quote(present[column]) ~ ' as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- else -%}
            {%- do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return('select ' ~ (selected | join(', ')) ~ ' from ' ~ reader) -}}
{%- endmacro %}

{#- An input with no rows and every declared column (an absent optional input). -#}
{% macro empty_input_query(table_name) -%}
    {%- set selected = [] -%}
    {%- for column in input_column_names(table_name) -%}
        {%- do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) -%}
    {%- endfor -%}
    {{- return('select ' ~ (selected | join(', ')) ~ ' where 1 = 0') -}}
{%- endmacro %}

{#- The query behind an input view over a table of source_schema. -#}
{% macro input_table_reader(schema_name, table_name) -%}
    {%- if not relation_exists(schema_name, table_name) -%}
        {%- if input_source(table_name).meta.get('required', false) -%}
            {{ exceptions.raise_compiler_error(
                "Missing input table: " ~ schema_name ~ "." ~ table_name ~ " is required (var source_schema is '"
                ~ schema_name ~ "'). Load it there, for example with python -m customer_value.load_inputs.") }}
        {%- endif -%}
        {{- return(empty_input_query(table_name)) -}}
    {%- endif -%}
    {%- set relation = schema_name ~ '.' ~ table_name -%}
    {{- return(declared_columns_query(table_name, relation_columns(schema_name, table_name), relation, 'Input table ' ~ relation)) -}}
{%- endmacro %}

{#- Files are read in place on DuckDB only. -#}
{% macro default__input_file_reader(folder, table_name) -%}
    {{ exceptions.raise_compiler_error(
        "On " ~ target.type ~ " the inputs are read from tables: load your files (or the demo files in data/demo)"
        ~ " with `python -m customer_value.load_inputs FOLDER --schema SCHEMA --target " ~ target.type
        ~ "`, then set the var source_schema to SCHEMA (see the README).") }}
{%- endmacro %}

{#- The query behind an input view over FOLDER/<table>.csv or .parquet (DuckDB). CSV is read
    in one fixed dialect (comma, double quotes, a header row, every value as text): nothing
    is guessed, so a file means the same on every day. -#}
{% macro duckdb__input_file_reader(folder, table_name) -%}
    {%- set found = [] -%}
    {%- for extension in ['csv', 'parquet'] -%}
        {%- set path = folder ~ '/' ~ table_name ~ '.' ~ extension -%}
        {%- if run_query("select count(*) from glob(" ~ sql_string(path) ~ ")").columns[0].values()[0] > 0 -%}
            {%- do found.append((path, extension)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found | length > 1 -%}
        {{ exceptions.raise_compiler_error(
            "The input folder " ~ folder ~ " holds both " ~ table_name ~ ".csv and " ~ table_name
            ~ ".parquet: keep one of them.") }}
    {%- elif not found -%}
        {%- if input_source(table_name).meta.get('required', false) -%}
            {{ exceptions.raise_compiler_error(
                "Missing input file: " ~ folder ~ "/" ~ table_name ~ ".csv (or .parquet) is required."
                ~ " Check the var data_dir, or put the file there.") }}
        {%- endif -%}
        {{- return(empty_input_query(table_name)) -}}
    {%- endif -%}
    {%- set path, extension = found[0] -%}
    {%- if extension == 'parquet' -%}
        {%- set reader = 'read_parquet(' ~ sql_string(path) ~ ')' -%}
    {%- else -%}
        {#- The first line as written, to tell an empty file and a file in another dialect. -#}
        {%- set first_line = run_query(
            "select line from read_csv(" ~ sql_string(path) ~ ", header = false, auto_detect = false,"
            ~ " columns = {'line': 'varchar'}, delim = '\x01', quote = '', escape = '', strict_mode = false,"
            ~ " ignore_errors = true) limit 1"
        ).columns[0].values() -%}
        {%- if not first_line -%}
            {#- An empty file (not even a header) is a valid, empty input. -#}
            {{- return(empty_input_query(table_name)) -}}
        {%- endif -%}
        {%- set header_line = first_line[0] or '' -%}
        {#- A header in another dialect: split by another separator, it names our columns. -#}
        {%- for separator, label in [(';', 'semicolons'), ('\t', 'tabs'), ('|', 'pipes')] -%}
            {%- set names = [] -%}
            {%- for part in header_line.split(separator) -%}
                {%- do names.append(part | trim | replace('"', '') | lower) -%}
            {%- endfor -%}
            {%- if ',' not in header_line and input_column_names(table_name) | select('in', names) | list -%}
                {{ exceptions.raise_compiler_error(
                    "Input file " ~ path ~ " looks separated by " ~ label ~ " (its first line: "
                    ~ header_line[:200] ~ "). Input CSV files must be comma-separated, with a header row"
                    ~ " and double quotes: save it again as comma-separated CSV.") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set reader = "read_csv(" ~ sql_string(path)
            ~ ", header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')" -%}
    {%- endif -%}
    {%- set columns_found = run_query('select * from ' ~ reader ~ ' limit 0').column_names -%}
    {{- return(declared_columns_query(table_name, columns_found, reader, 'Input file ' ~ path)) -}}
{%- endmacro %}

{#- A SQL string literal, quotes doubled, so that a path with quotes cannot break out. -#}
{% macro sql_string(text) -%}
    {{- return("'" ~ (text | string | replace("'", "''")) ~ "'") -}}
{%- endmacro %}

{#- `dbt run-operation make_input_views`: the input views of prepare_inputs, made outside a
    build. customer_value.load_inputs reads files through them (on a scratch DuckDB file),
    so that PostgreSQL and Spark get exactly what DuckDB reads. -#}
{% macro make_input_views() -%}
    {%- for statement in prepare_inputs().split(';\n') if statement != 'select 1' -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
{%- endmacro %}
