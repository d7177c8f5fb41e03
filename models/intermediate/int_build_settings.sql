{#- The vars that incremental tables were built with. An incremental run with other values
    would mix rows computed under two definitions, so it stops and asks for a full rebuild
    (D28). Checked when the model compiles, against the values stored by the last build. -#}
{%- set settings = {
    'as_of_date': (as_of_date_var() | trim),
    'churn_window_days': (churn_window_days() | string),
} -%}
{%- if execute and not flags.FULL_REFRESH -%}
    {%- set stored = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {%- if stored is not none -%}
        {%- set previous = run_query('select setting_name, setting_value from ' ~ stored) -%}
        {%- for row in previous.rows if row[0] in settings and row[1] != settings[row[0]] -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ row[0] ~ "' changed since the last build (" ~ row[1] ~ " -> " ~ settings[row[0]]
                ~ "): the incremental tables hold rows computed with the old value. Rebuild them with"
                ~ " `dbt build --full-refresh` (or `make build FULL_REFRESH=1`).") }}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

with

final as (

    {%- for name, value in settings | dictsort %}
        select
            cast({{ sql_string(name) }} as {{ dbt.type_string() }}) as setting_name,
            cast({{ sql_string(value) }} as {{ dbt.type_string() }}) as setting_value
        {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from final
