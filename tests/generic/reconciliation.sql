{#- The stored reconciliation balances, and its quarantine counts match the quarantine as it
    is now: a row deleted from (or added to) audit.rejected_rows after the build fails this
    test. Returns one row per unbalanced input. -#}
{% test reconciles_with_quarantine(model, quarantine) %}

with

live as (

    select
        input_table,
        count(*) as live_quarantined
    from {{ quarantine }}
    group by input_table

)

select
    reconciliation.input_table,
    reconciliation.rows_read,
    reconciliation.rows_accepted,
    reconciliation.rows_quarantined,
    coalesce(live.live_quarantined, 0) as live_quarantined
from {{ model }} as reconciliation
left join live
    on reconciliation.input_table = live.input_table
where
    reconciliation.rows_read <> reconciliation.rows_accepted + coalesce(live.live_quarantined, 0)
    or reconciliation.rows_quarantined <> coalesce(live.live_quarantined, 0)

{% endtest %}

{#- The quarantined rows of one input: run with severity warn, the count shows in the
    build output. -#}
{% test quarantined_rows(model, quarantine, input_table) %}

select *
from {{ quarantine }}
where input_table = '{{ input_table }}'

{% endtest %}

{#- Inputs whose quarantined share exceeds the var max_quarantined_share: fails the build. -#}
{% test quarantine_within_threshold(model) %}

{%- set threshold = numeric_var('max_quarantined_share', minimum=0, maximum=1) %}

select
    input_table,
    rows_read,
    rows_quarantined,
    {{ threshold }} as max_quarantined_share
from {{ model }}
where rows_quarantined > {{ threshold }} * rows_read

{% endtest %}
