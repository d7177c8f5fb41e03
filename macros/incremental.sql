{#- Incremental builds (docs/decision_log.md, D28). Inputs are assumed to grow by appending
    rows: an incremental run re-screens the input rows of the last few days and every other
    row sharing a key with them, then recomputes only the customers those rows touch. -#}

{#- How many days before the latest loaded timestamp an incremental run re-reads. -#}
{% macro incremental_lookback_days() -%}
    {{- return(numeric_var('incremental_lookback_days', minimum=0, maximum=3650, integer=true)) -}}
{%- endmacro %}

{#- The rows of an input batch, for the staging models: RELATION holds the input's raw text
    columns (<column>_raw). In an incremental run, every input row whose key also occurs on a
    row that is new (timestamp on or after the latest accepted date already loaded minus the
    lookback) or has no readable timestamp; every row in a full build. The rows of one key
    travel together, so duplicates are screened across old and new copies alike; rows without
    a key share the key '' and are re-read together whenever one of them is new. The keys are
    found on a second, narrow read of the input. -#}
{% macro input_batch(relation, table_name, key_column, timestamp_column, required_column=none) -%}
    {%- if is_incremental() -%}
        {%- set since = incremental_since(timestamp_column, required_column) -%}
        {#- Untrimmed: a padded timestamp that does not parse counts as unreadable, which only
            re-reads its key (a superset is harmless; the cleaned key decides). -#}
        {%- set timestamp = try_cast_as('cast(' ~ timestamp_column ~ ' as ' ~ dbt.type_string() ~ ')', dbt.type_timestamp()) -%}
    select *
    from {{ relation }}
    where coalesce({{ clean_text(key_column ~ '_raw') }}, '') in (
        select coalesce({{ clean_text(key_column) }}, '')
        from {{ input_relation(table_name) }} as input_rows  -- noqa: AL05
        {%- if since is not none %}
        where coalesce({{ timestamp }} >= cast({{ sql_string(since) }} as {{ dbt.type_timestamp() }}), true)
        {%- endif %}
    )
    {%- else -%}
    select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}

{#- The first day an incremental run re-reads: the latest accepted date already loaded
    minus the lookback, as 'YYYY-MM-DD' (none when nothing was accepted yet: read all).
    Looked up when the model compiles, so that the filter is a constant. A table built by a
    version of the project without REQUIRED_COLUMN stops the build with the remedy. -#}
{% macro incremental_since(timestamp_column, required_column=none) -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set stored = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if required_column is not none and required_column not in stored -%}
        {{ exceptions.raise_compiler_error(
            this ~ " was built by an earlier version of the project (it has no column " ~ required_column
            ~ "): rebuild with `dbt build --full-refresh` (or `make build FULL_REFRESH=1`).") }}
    {%- endif -%}
    {%- set latest = add_days(-incremental_lookback_days(), 'max(' ~ to_date(timestamp_column) ~ ')') -%}
    {%- set result = run_query(
        'select cast(' ~ latest ~ ' as ' ~ dbt.type_string() ~ ') from ' ~ this ~ ' where rejection_reason is null'
    ) -%}
    {{- return(result.columns[0].values()[0]) -}}
{%- endmacro %}

{#- The batch number of this build: 1 for a full build, one more than the last otherwise. -#}
{% macro load_batch_number() -%}
    {%- if is_incremental() -%}
        (select cast(coalesce(max(load_batch), 0) + 1 as integer) from {{ this }})
    {%- else -%}
        cast(1 as integer)
    {%- endif -%}
{%- endmacro %}

{#- The rows an incremental model recomputes: those whose KEY_COLUMN (a customer_id) is
    among the changed customers; every row in a full build. The model declares
    `-- depends_on: ref('int_changed_customers')`. -#}
{% macro is_changed(key_column) -%}
    {%- if is_incremental() -%}
        {{ key_column }} in (select customer_id from {{ ref('int_changed_customers') }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- A custom incremental strategy for the staging models: delete the rows of every input key
    (unique_key; a missing key counts as '') present in the batch, then insert the batch,
    which holds every input row of those keys. -#}
{% macro get_incremental_replace_input_keys_sql(arg_dict) -%}
    {%- set key = 'coalesce(' ~ arg_dict['unique_key'] ~ ", '')" -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ key }} in (select {{ key }} from {{ arg_dict['temp_relation'] }});

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- A custom incremental strategy: delete the target rows of the changed customers (the
    unique_key column holds the customer_id), then insert the recomputed rows. With the
    config `changed_since: [column, changes_column]` only the rows whose column is on or
    after the customer's changes_column (changed_from_at or changed_from_month) are
    replaced; otherwise all of the customer's rows, also those with no recomputed row (a
    customer whose only order was quarantined by a new conflicting copy). -#}
{% macro get_incremental_replace_changed_customers_sql(arg_dict) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set since = config.get('changed_since') -%}
    {%- if since -%}
    delete from {{ arg_dict['target_relation'] }} as target
    using {{ ref('int_changed_customers') }} as changes
    where
        target.{{ arg_dict['unique_key'] }} = changes.customer_id
        and target.{{ since[0] }} >= changes.{{ since[1] }};
    {%- else -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ is_changed(arg_dict['unique_key']) }};
    {%- endif %}

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- In an incremental build, a left join of the changed customers (as `changes`) on
    KEY_COLUMN, for is_changed_since; nothing in a full build. -#}
{% macro join_changed_customers(key_column) -%}
    {%- if is_incremental() -%}
    left join {{ ref('int_changed_customers') }} as changes
        on {{ key_column }} = changes.customer_id
    {%- endif -%}
{%- endmacro %}

{#- A condition keeping, in an incremental build, the rows from the instant a customer's
    orders changed on (DATE_EXPRESSION on or after their CHANGES_COLUMN, changed_from_at or
    changed_from_month; needs join_changed_customers) and, with NEW_MONTH_EXPRESSION, every
    customer's rows of the months completed since the last build; every row in a full
    build. The first new month is looked up when the model compiles (a constant). -#}
{% macro is_changed_since(date_expression, changes_column, new_month_expression=none) -%}
    {%- if is_incremental() -%}
        {%- set condition = 'changes.customer_id is not null and ' ~ date_expression ~ ' >= changes.' ~ changes_column -%}
        {%- if new_month_expression is not none -%}
            {%- set first_new_month = run_query(
                'select cast(' ~ add_months(1, 'max(month)') ~ ' as ' ~ dbt.type_string() ~ ') from ' ~ this
            ).columns[0].values()[0] if execute else none -%}
            {%- if first_new_month is none -%}
                {#- Nothing built yet: every month is new. -#}
                {%- set condition = '1 = 1' -%}
            {%- else -%}
                {%- set condition = '(' ~ condition ~ ') or ' ~ new_month_expression ~ ' >= cast('
                    ~ sql_string(first_new_month) ~ ' as date)' -%}
            {%- endif -%}
        {%- endif -%}
        ({{ condition }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- The config of the models rebuilt per changed customer (their rows keyed by customer_id):
    `{{ config(**by_changed_customer()) }}`, or with changed_since (see the strategy). -#}
{% macro by_changed_customer(changed_since=none) -%}
    {{- return({
        'materialized': incremental_materialization(),
        'incremental_strategy': 'replace_changed_customers',
        'unique_key': 'customer_id',
        'on_schema_change': 'fail',
        'changed_since': changed_since,
    }) -}}
{%- endmacro %}

{#- The config of the staging models, incremental by input key (KEY_COLUMN, the input's id):
    `{{ config(**by_input_key('order_id')) }}`. -#}
{% macro by_input_key(key_column) -%}
    {{- return({
        'materialized': incremental_materialization(),
        'incremental_strategy': 'replace_input_keys',
        'unique_key': key_column,
        'on_schema_change': 'fail',
    }) -}}
{%- endmacro %}

{#- How the incremental models are materialised: incremental where the engine can delete
    rows; on Spark, whose default tables take no DELETE, plain tables rebuilt in full. -#}
{% macro incremental_materialization() -%}
    {{- return(adapter.dispatch('incremental_materialization', 'customer_value')()) -}}
{%- endmacro %}
{% macro default__incremental_materialization() -%}
    {{- return('incremental') -}}
{%- endmacro %}
{% macro spark__incremental_materialization() -%}
    {{- return('table') -}}
{%- endmacro %}
