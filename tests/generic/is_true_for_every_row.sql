{#- Fails on every row where the expression is not true; a null counts as a failure (unlike
    dbt_utils' expression_is_true, hence its own name: decision log D36). -#}
{% test is_true_for_every_row(model, expression, where_clause=none, column_name=none) %}

select *
from {{ model }}
where
    not coalesce(({{ expression }}), false)
    {% if where_clause %}and ({{ where_clause }}){% endif %}

{% endtest %}
