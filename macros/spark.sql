{#- Spark's default (parquet) tables take no constraints: the contract still checks every
    column's type, and every not-null constraint has a not_null data test beside it. -#}
{% macro spark__persist_constraints(relation, model) -%}
{%- endmacro %}

{#- Seeds on Spark: dbt-spark's loader binds an empty CSV value as the text 'None'; this one
    writes it as null, as every other engine loads it, and every other value as a quoted
    literal cast to the column's type. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            ({%- for column_name in agate_table.column_names -%}
                {%- set type = column_override.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
                {%- set value = row[loop.index0] -%}
                {%- if value is none -%}
                    cast(null as {{ type }})
                {%- else -%}
                    cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                {%- endif -%}
                {{ ", " if not loop.last }}
            {%- endfor -%}){{ "," if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}
