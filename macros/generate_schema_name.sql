{#- Custom schemas are used exactly as named (marts, metrics, staging, ...): the public
    relations are queried by name, so they must not carry the target schema as a prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
