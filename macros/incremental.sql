{#- Incremental builds (decision log D35). A build is incremental only when the last build
    succeeded with the same vars, inputs and project code (macros in build_state.sql decide);
    then stg_orders compares every input row with the rows it stored, re-screens the order
    ids whose rows are new, changed or gone, and keeps the replaced versions for one build;
    the per-customer models recompute exactly the customers named on those rows
    (int_changed_customers). Any other build is a full build. Same results either way. -#}

{#- How the incremental models are materialised: incremental when the var `incremental` is
    true and the engine can delete rows; otherwise (and on Spark, whose default tables take
    no DELETE) plain tables rebuilt in full. -#}
{% macro incremental_materialization() -%}
    {%- if not checked_var('incremental') -%}
        {{- return('table') -}}
    {%- endif -%}
    {{- return(adapter.dispatch('incremental_materialization', 'customer_value')()) -}}
{%- endmacro %}
{% macro default__incremental_materialization() -%}
    {{- return('incremental') -}}
{%- endmacro %}
{% macro spark__incremental_materialization() -%}
    {{- return('table') -}}
{%- endmacro %}

{#- The config of stg_orders: incremental by input key (the input_key of ID_COLUMN, the order
    id), strategy replace_input_keys. -#}
{% macro by_input_key(id_column) -%}
    {{- return({
        'materialized': incremental_materialization(),
        'incremental_strategy': 'replace_input_keys',
        'unique_key': id_column,
        'on_schema_change': 'fail',
        'post_hook': [checkpoint_hook()],
    }) -}}
{%- endmacro %}

{#- The config of the models rebuilt per changed customer (their rows keyed by customer_id),
    strategy replace_changed_customers: `{{ config(**by_changed_customer()) }}`. With
    CHANGED_SINCE = [column, changes_column] only a changed customer's rows whose column is on
    or after their changed_from_at (or _month) are replaced; with MONTHS_UP_TO, a model
    with a `month` column (the month spine), every customer's rows of later months are
    deleted too (months no longer complete). -#}
{% macro by_changed_customer(changed_since=none, months_up_to=none) -%}
    {{- return({
        'materialized': incremental_materialization(),
        'incremental_strategy': 'replace_changed_customers',
        'unique_key': 'customer_id',
        'on_schema_change': 'fail',
        'changed_since': changed_since,
        'months_up_to': months_up_to,
        'post_hook': [checkpoint_hook()],
    }) -}}
{%- endmacro %}

{#- The post-hook of the incremental models, run after their commit: on DuckDB, after an
    incremental build of the model, a checkpoint (decision log D57). DuckDB keeps the
    deletes of a committed transaction in memory it cannot spill (about 16 KB for every
    2,048 rows of the table with a deleted row among them) until a checkpoint writes them
    out, and skips its automatic checkpoint while another thread's write is open: at 100 M
    orders the delete and insert of the day's changed customers pinned over a GB this way
    and the next models ran out of memory under a 3GB cap. FORCE waits for the open writes
    to finish. Nothing on other engines or in a full build. -#}
{% macro checkpoint_hook() -%}
    {{- return({'sql': '{{ checkpoint_after_incremental() }}', 'transaction': false}) -}}
{%- endmacro %}
{% macro checkpoint_after_incremental() -%}
    {{- return(adapter.dispatch('checkpoint_after_incremental', 'customer_value')()) -}}
{%- endmacro %}
{% macro default__checkpoint_after_incremental() -%}
    select 1
{%- endmacro %}
{% macro duckdb__checkpoint_after_incremental() -%}
    {%- if is_incremental() -%}
        force checkpoint
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- The key an input row is compared and replaced by: its id (EXPRESSION, trimmed, null when
    empty) with '' for a missing one, so that rows without an id are compared as one key.
    Computed on both sides, never stored (decision log D54). -#}
{% macro input_key(expression) -%}
    coalesce({{ expression }}, '')
{%- endmacro %}

{#- The row fingerprints whose number of rows differs between the input (RELATION, rows with
    their row_fingerprint) and the live rows stored by the last build: one aggregation over
    both sides (each input row counts +1, each stored row -1), whatever the input's size.
    A row new, changed, gone or copied leaves its fingerprint (and the old version's) out of
    balance. Nothing in a full build (every row is screened). (Decision log D58: this was a
    per-key comparison of count, smallest and largest fingerprint, twice as slow.) -#}
{% macro changed_fingerprints(relation) -%}
    {%- if is_incremental() -%}
    select row_fingerprint
    from (
        select
            row_fingerprint,
            1 as side
        from {{ relation }}
        union all
        select
            row_fingerprint,
            -1 as side
        from {{ this }}
        where row_version <> 'previous'
    ) as sides
    group by row_fingerprint
    having sum(side) <> 0
    {%- else -%}
    select row_fingerprint from {{ relation }} where 1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The keys (KEY_COLUMN of RELATION, the input rows) whose rows differ from the live rows
    stored by the last build (keyed by the input_key of their ID_COLUMN): the keys of the rows,
    on either side, that carry a fingerprint out of balance (FINGERPRINTS, from
    changed_fingerprints). A fingerprint hashes every raw value, the id included, so a key's
    rows are compared exactly as a multiset (up to a collision of 64-bit hashes on DuckDB, of
    md5 elsewhere), however many rows it has. Nothing in a full build. -#}
{% macro changed_input_keys(relation, key_column, id_column, fingerprints) -%}
    {%- if is_incremental() -%}
    select {{ key_column }}
    from {{ relation }}
    where row_fingerprint in (select row_fingerprint from {{ fingerprints }})
    union
    select {{ input_key(id_column) }} as {{ key_column }}
    from {{ this }}
    where
        row_version <> 'previous'
        and row_fingerprint in (select row_fingerprint from {{ fingerprints }})
    {%- else -%}
    select {{ key_column }} from {{ relation }} where 1 = 0
    {%- endif -%}
{%- endmacro %}

{#- The input rows a build screens: in an incremental build, the rows of the changed keys
    (CHANGES, from changed_input_keys); every row in a full build. -#}
{% macro rows_to_screen(relation, key_column, changes) -%}
    select {{ relation }}.*
    from {{ relation }}
    {%- if is_incremental() %}
    inner join {{ changes }}
        on {{ relation }}.{{ key_column }} = {{ changes }}.{{ key_column }}
    {%- endif %}
{%- endmacro %}

{#- The rows a staging build writes: the screened rows (RELATION, with COLUMNS), marked
    'changed' in an incremental build ('current' in a full build), and in an incremental
    build the live rows stored for the changed keys (KEY_COLUMN of CHANGES; the input_key of
    ID_COLUMN of a stored row), marked 'previous': the versions this build replaces, which
    tell int_changed_customers whom they belonged to. -#}
{% macro with_previous_versions(relation, columns, id_column, key_column, changes) -%}
    select
        {{ columns | join(', ') }},
        '{{ 'changed' if is_incremental() else 'current' }}' as row_version
    from {{ relation }}
    {%- if is_incremental() %}
    union all
    select
        {{ columns | join(', ') }},
        'previous' as row_version
    from {{ this }}
    where
        row_version <> 'previous'
        and {{ input_key(id_column) }} in (select {{ key_column }} from {{ changes }})
    {%- endif %}
{%- endmacro %}

{#- Custom strategy of stg_orders: forget the previous versions kept by the last build, mark
    its changed rows current, delete the live rows of every key in the batch (a new, changed
    or removed key), then insert the batch (new versions and the versions they replace). -#}
{% macro get_incremental_replace_input_keys_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} where row_version = 'previous';
    update {{ target }} set row_version = 'current' where row_version = 'changed';
    delete from {{ target }}
    where {{ input_key(key) }} in (select {{ input_key(key) }} from {{ arg_dict['temp_relation'] }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- A condition keeping the rows of the changed customers (CHANGES, the model's import of
    int_changed_customers) in an incremental build; every row in a full build. -#}
{% macro is_changed(key_column, changes='changed_customers') -%}
    {%- if is_incremental() -%}
        {{ key_column }} in (select customer_id from {{ changes }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- In an incremental build, a left join of the changed customers (CHANGES) on KEY_COLUMN,
    for is_changed_since; nothing in a full build. -#}
{% macro join_changed_customers(key_column, changes='changed_customers') -%}
    {%- if is_incremental() -%}
    left join {{ changes }}
        on {{ key_column }} = {{ changes }}.customer_id
    {%- endif -%}
{%- endmacro %}

{#- A condition keeping, in an incremental build, each changed customer's rows from the
    instant (or month) their orders changed (DATE_EXPRESSION on or after their CHANGES_COLUMN;
    needs join_changed_customers) and, with ALSO, the rows that ALSO selects for every
    customer; every row in a full build. -#}
{% macro is_changed_since(date_expression, changes_column, also=none, changes='changed_customers') -%}
    {%- if is_incremental() -%}
        ({{ changes }}.customer_id is not null and {{ date_expression }} >= {{ changes }}.{{ changes_column }}
        {%- if also %} or {{ also }}{% endif %})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Custom strategy of the per-customer models: delete the target rows of the changed
    customers (from their change on, with the config changed_since; all of them otherwise,
    also those with no recomputed row, such as a customer whose only order was removed) and,
    with the config months_up_to, every row of a month after the last month of that model;
    then insert the recomputed rows. -#}
{% macro get_incremental_replace_changed_customers_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set since = config.get('changed_since') -%}
    {%- set months_up_to = config.get('months_up_to') -%}
    delete from {{ target }} as target
    where
        exists (
            select 1
            from {{ ref('int_changed_customers') }} as changes
            where
                changes.customer_id = target.{{ arg_dict['unique_key'] }}
                {%- if since %}
                and target.{{ since[0] }} >= changes.{{ since[1] }}
                {%- endif %}
        )
        {%- if months_up_to %}
        or target.month > (
            select coalesce(max(month), cast('1900-01-01' as date)) from {{ ref(months_up_to) }}
        )
        {%- endif %};

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- In an incremental build of int_customer_months: EXPRESSION (a month or a timestamp) falls
    in a month after the last one the table holds, a month completed since the last build. -#}
{% macro is_after_last_month_built(expression) -%}
    {{ expression }} >= coalesce(
        (select {{ add_months(1, 'max(month)') }} from {{ this }}),
        cast('1900-01-01' as date)
    )
{%- endmacro %}
