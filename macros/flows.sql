{#- The seeds' customer-flow rates, written once for metrics.retention_monthly and
    metrics.retention_by_segment (S, E, N, L as column expressions; null when S = 0). -#}

{#- churn_rate = L / S. -#}
{% macro churn_rate(lost, customers_start) -%}
    {{ safe_ratio(lost, customers_start) }}
{%- endmacro %}

{#- retention_rate = (E - N) / S = 1 - churn_rate + R / S. -#}
{% macro retention_rate(customers_end, new, customers_start) -%}
    {{ safe_ratio(customers_end ~ ' - ' ~ new, customers_start) }}
{%- endmacro %}
