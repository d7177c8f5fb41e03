{#- The observation window: [first row, as_of_date). An input row is accepted when it passed
    every check of its staging model and falls before as_of_date; a row that passed every
    check but is dated at or after as_of_date is outside the window (not bad data: it is
    counted apart in audit.input_reconciliation and in no metric); a row that failed a check
    is quarantined. This is the one place where rows are measured against as_of_date
    (decision log D33). ALIAS is a screened staging relation joined with int_as_of_date as
    `as_of`. -#}
{% macro row_status(alias, timestamp_column) -%}
    case
        when {{ alias }}.rejection_reason is not null then 'quarantined'
        when {{ alias }}.{{ timestamp_column }} >= as_of.as_of_date then 'outside_window'
        else 'accepted'
    end
{%- endmacro %}
