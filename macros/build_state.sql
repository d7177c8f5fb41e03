{#- What carries over from one build to the next, and the rules that keep results a function
    of the inputs and vars alone (decision log D35):

    1. A failed build leaves every public and audit relation as the last successful build
       left it. Each of them keeps the version it replaces as <name>__previous until the run
       ends (post-hook keep_previous_version); the on-run-end hook finish_build drops those
       copies when every node succeeded, and otherwise puts them back (and drops relations
       that did not exist before). A run that was killed is put back the same way when the
       next one starts (begin_build).
    2. A build is incremental only when the last build that ran incremental models succeeded
       with the same settings: every var, and a fingerprint of the project's models, macros
       and input declarations. Otherwise (first build, --full-refresh, a failed or partial
       last build, a changed var or data source, an upgraded project, a missing table) it
       is a full build, and one log line says why. The table build_state.builds holds one row
       per run of incremental models: its settings, its mode and whether it completed; a run
       marks its row complete only when every incremental model and every other selected
       node succeeded. -#}

{% macro build_state_table() -%}build_state.builds{%- endmacro %}

{#- The schemas of the public and audit relations. -#}
{% macro published_schemas() -%}
    {{- return(['marts', 'metrics', 'audit', 'semantic']) -}}
{%- endmacro %}

{#- The project's incremental models: those with an incremental strategy, also when the var
    incremental is false and they are built as plain tables (a failed build of those must
    make the next build full too). -#}
{% macro incremental_models() -%}
    {%- set models = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.package_name == project_name
        and node.config.get('incremental_strategy') -%}
        {%- do models.append(node) -%}
    {%- endfor -%}
    {{- return(models) -}}
{%- endmacro %}

{#- What a build's results depend on besides the data: every var (as checked), and a
    fingerprint of the project's code (models, macros, the input declarations). -#}
{% macro build_settings() -%}
    {%- set settings = {} -%}
    {%- for name in var_rules() -%}
        {%- set value = checked_var(name) -%}
        {%- set text = 'unset' if value is none else value | string -%}
        {%- do settings.update({name: text | lower if var_rules()[name].kind == 'boolean' else text}) -%}
    {%- endfor -%}
    {%- set code = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == project_name -%}
        {%- do code.append(node.unique_id ~ ':' ~ node.checksum.checksum) -%}
    {%- endfor -%}
    {%- for table_name in input_tables() -%}
        {%- do code.append(table_name ~ ':' ~ (input_columns(table_name) | join(','))) -%}
    {%- endfor -%}
    {%- set macros = context[project_name] -%}
    {%- for name in macros | sort -%}
        {%- do code.append(name ~ ':' ~ local_md5(macros[name].macro.macro_sql)) -%}
    {%- endfor -%}
    {%- do settings.update({
        'project code': local_md5(code | sort | join('\n')),
        'dbt': dbt_version ~ ' ' ~ target.type,
    }) -%}
    {{- return(settings) -}}
{%- endmacro %}

{#- The public and audit relations kept as <name>__previous, as (schema, name). -#}
{% macro previous_versions() -%}
    {%- set kept = [] -%}
    {%- for schema_name in published_schemas() -%}
        {%- set names = run_query(
            "select table_name from information_schema.tables where lower(table_schema) = "
            ~ sql_string(schema_name) ~ " and table_name like '%\_\_previous' escape '\\' order by table_name"
        ).columns[0].values() -%}
        {%- for name in names -%}
            {%- do kept.append((schema_name, name[:-('__previous' | length)])) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(kept) -}}
{%- endmacro %}

{#- Statements putting back every kept previous version. -#}
{% macro restore_previous_versions_sql() -%}
    {%- set statements = [] -%}
    {%- for schema_name, name in previous_versions() -%}
        {%- do statements.append('drop table if exists ' ~ schema_name ~ '.' ~ name) -%}
        {%- do statements.append('alter table ' ~ schema_name ~ '.' ~ name ~ '__previous rename to ' ~ name) -%}
    {%- endfor -%}
    {{- return(statements) -}}
{%- endmacro %}

{#- Post-hook of every public and audit relation (inside the model's transaction, after dbt
    renamed the version it replaces to <name>__dbt_backup): keep that version as
    <name>__previous until the run ends, unless an earlier version is kept already. -#}
{% macro keep_previous_version() -%}
    {{- return(adapter.dispatch('keep_previous_version', 'customer_value')()) -}}
{%- endmacro %}
{% macro default__keep_previous_version() -%}
    {%- if execute
        and relation_exists(this.schema, this.identifier ~ '__dbt_backup')
        and not relation_exists(this.schema, this.identifier ~ '__previous') -%}
        alter table {{ this.schema }}.{{ this.identifier }}__dbt_backup rename to {{ this.identifier }}__previous
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
{#- Spark replaces tables in place: nothing to keep (decision log D31). -#}
{% macro spark__keep_previous_version() -%}
    select 1
{%- endmacro %}

{#- The on-run-start hook (after prepare_inputs): puts back what a killed run left, then, when
    the run builds incremental models, decides whether this build is incremental and
    records the attempt. -#}
{% macro begin_build() -%}
    {%- if not execute or target.type == 'spark' -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set statements = restore_previous_versions_sql() -%}
    {%- if statements -%}
        {%- do log("customer_value: the last run stopped before it finished; its public and audit relations are put back.", info=True) -%}
    {%- endif -%}
    {%- set selected = [] -%}
    {%- for node in incremental_models() if node.unique_id in selected_resources and builds_models() -%}
        {%- do selected.append(node) -%}
    {%- endfor -%}
    {%- if not selected -%}
        {{- return(hook_statements(statements + ['select 1'])) -}}
    {%- endif -%}
    {%- set settings = build_settings() -%}
    {%- set last = {} -%}
    {%- set last_complete = {} -%}
    {%- if relation_exists('build_state', 'builds') -%}
        {%- set rows = run_query(
            'select build_number, settings, is_complete from ' ~ build_state_table() ~ ' order by build_number desc'
        ).rows -%}
        {%- for row in rows -%}
            {%- if loop.first -%}
                {%- do last.update({'number': row[0], 'is_complete': row[2]}) -%}
            {%- endif -%}
            {%- if row[2] and not last_complete -%}
                {%- do last_complete.update({'number': row[0], 'settings': fromjson(row[1])}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set reason = namespace(text=none) -%}
    {%- if not checked_var('incremental') -%}
        {%- set reason.text = 'incremental builds are off (var incremental)' -%}
    {%- elif flags.FULL_REFRESH -%}
        {%- set reason.text = 'asked for with --full-refresh' -%}
    {%- elif not last -%}
        {%- set reason.text = 'first build in this database' -%}
    {%- elif not last.is_complete -%}
        {%- set reason.text = 'the last build (number ' ~ last.number ~ ') did not complete' -%}
    {%- else -%}
        {%- set changes = [] -%}
        {%- for name, value in settings | dictsort if last_complete.settings.get(name) != value -%}
            {%- if name in var_rules() -%}
                {%- do changes.append("var '" ~ name ~ "' changed (" ~ last_complete.settings.get(name, 'unset')
                    ~ ' -> ' ~ value ~ ')') -%}
            {%- elif name == 'project code' -%}
                {%- do changes.append("the project's models, macros or input declarations changed") -%}
            {%- else -%}
                {%- do changes.append(name ~ ' changed (' ~ last_complete.settings.get(name, 'unset') ~ ' -> ' ~ value ~ ')') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if changes -%}
            {%- set reason.text = changes | join(', ') -%}
        {%- endif -%}
        {%- for node in incremental_models() if reason.text is none
            and not relation_exists(node.schema, node.alias or node.name) -%}
            {%- set reason.text = 'the table ' ~ node.schema ~ '.' ~ (node.alias or node.name) ~ ' is missing' -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set mode = 'full' if reason.text else 'incremental' -%}
    {%- set number = (last.number or 0) + 1 -%}
    {%- if mode == 'incremental' -%}
        {%- do log("customer_value: build " ~ number ~ " is incremental: same vars, inputs and project as build "
            ~ last_complete.number ~ "; only input rows that changed since then are recomputed.", info=True) -%}
    {%- else -%}
        {%- do log("customer_value: build " ~ number ~ " is a full build: " ~ reason.text ~ ".", info=True) -%}
    {%- endif -%}
    {%- do statements.append('create schema if not exists build_state') -%}
    {%- do statements.append('create table if not exists ' ~ build_state_table()
        ~ ' (build_number integer, invocation_id text, settings text, build_mode text, reason text, is_complete boolean)') -%}
    {%- do statements.append('insert into ' ~ build_state_table() ~ ' values (' ~ number ~ ', '
        ~ sql_string(invocation_id) ~ ', ' ~ sql_string(tojson(settings, sort_keys=true)) ~ ', '
        ~ sql_string(mode) ~ ', ' ~ sql_string(reason.text or 'unchanged settings') ~ ', false)') -%}
    {{- return(hook_statements(statements)) -}}
{%- endmacro %}

{#- Whether this dbt command builds models (build, run, retry), as opposed to compiling,
    testing or documenting them: only those runs are builds of the build state. -#}
{% macro builds_models() -%}
    {{- return(flags.WHICH in ('build', 'run', 'retry')) -}}
{%- endmacro %}

{#- This run's mode, as begin_build recorded it: 'incremental' or 'full' (also when nothing
    was recorded). -#}
{% macro build_mode() -%}
    {%- if not execute or not relation_exists('build_state', 'builds') -%}
        {{- return('full') -}}
    {%- endif -%}
    {%- set modes = run_query(
        'select build_mode from ' ~ build_state_table() ~ ' where invocation_id = ' ~ sql_string(invocation_id)
    ).columns[0].values() -%}
    {{- return(modes[0] if modes else 'full') -}}
{%- endmacro %}

{#- Whether begin_build recorded this run (it builds incremental models). -#}
{% macro is_recorded_run() -%}
    {%- if not relation_exists('build_state', 'builds') -%}
        {{- return(false) -}}
    {%- endif -%}
    {{- return(run_query(
        'select count(*) from ' ~ build_state_table() ~ ' where invocation_id = ' ~ sql_string(invocation_id)
    ).columns[0].values()[0] > 0) -}}
{%- endmacro %}

{#- dbt's own macro, overridden: an incremental model is built in full when dbt is told so
    (--full-refresh, the model's full_refresh config) and whenever this run is not an
    incremental build (begin_build decided). -#}
{% macro should_full_refresh() -%}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is not none -%}
        {{- return(configured) -}}
    {%- endif -%}
    {{- return(flags.FULL_REFRESH or build_mode() != 'incremental') -}}
{%- endmacro %}

{#- The on-run-end hook: explains failed guards in words; then keeps this run's public and
    audit relations and marks the build complete when every node succeeded, or else puts
    back the versions they replaced. -#}
{% macro finish_build(results) -%}
    {%- if not execute -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set ok_statuses = ['success', 'pass', 'warn', 'no-op'] -%}
    {%- set failed = [] -%}
    {%- set succeeded = [] -%}
    {%- for result in results -%}
        {%- if (result.status | string) in ok_statuses -%}
            {%- do succeeded.append(result.node.unique_id) -%}
        {%- else -%}
            {%- do failed.append(result) -%}
            {%- if (result.status | string) == 'fail' and result.node.config.meta.get('guard')
                and result.node.compiled_code -%}
                {%- for message in run_query(result.node.compiled_code).columns['message'].values() -%}
                    {%- do log('customer_value: ' ~ message, info=True) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if target.type == 'spark' -%}
        {{- return('select 1') -}}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- if failed -%}
        {%- set kept = previous_versions() -%}
        {%- for schema_name, name in kept -%}
            {%- do statements.append('drop table if exists ' ~ schema_name ~ '.' ~ name) -%}
            {%- do statements.append('alter table ' ~ schema_name ~ '.' ~ name ~ '__previous rename to ' ~ name) -%}
        {%- endfor -%}
        {%- for result in results
            if result.node.resource_type == 'model' and result.node.schema in published_schemas()
            and result.node.unique_id in succeeded
            and (result.node.schema, result.node.alias or result.node.name) not in kept -%}
            {%- do statements.append('drop table if exists ' ~ result.node.schema ~ '.' ~ (result.node.alias or result.node.name)) -%}
        {%- endfor -%}
        {%- set skipped = failed | selectattr('status', 'equalto', 'skipped') | list | length -%}
        {%- do log("customer_value: the run failed (" ~ (failed | length - skipped) ~ " error(s) or failure(s), "
            ~ skipped ~ " skipped); every public and audit relation is as the last successful build left it"
            ~ ("; the next build is a full build." if is_recorded_run() else "."),
            info=True) -%}
    {%- else -%}
        {%- for schema_name, name in previous_versions() -%}
            {%- do statements.append('drop table if exists ' ~ schema_name ~ '.' ~ name ~ '__previous') -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for node in incremental_models() if node.unique_id not in succeeded -%}
            {%- do missing.append(node.name) -%}
        {%- endfor -%}
        {%- if not missing and not flags.EMPTY and relation_exists('build_state', 'builds') -%}
            {%- do statements.append('update ' ~ build_state_table() ~ ' set is_complete = true where invocation_id = '
                ~ sql_string(invocation_id)) -%}
        {%- endif -%}
    {%- endif -%}
    {{- return(hook_statements(statements + ['select 1'])) -}}
{%- endmacro %}
