{#- Guards on audit.input_reconciliation. Each failing row carries a `message` in words; the
    on-run-end hook prints the messages of failed guards (decision log D34). -#}

{#- rows_read = rows_accepted + rows_quarantined + rows_outside_window for every input, and the
    quarantine counts match the quarantine as it is now: a row that disappeared, or a row
    deleted from (or added to) audit.rejected_rows after the build, fails this test. -#}
{% test reconciles_with_quarantine(model, quarantine) %}

with

live as (

    select
        input_table,
        count(*) as live_quarantined
    from {{ quarantine }}
    group by input_table

),

checked as (

    select
        reconciliation.input_table,
        reconciliation.rows_read,
        reconciliation.rows_accepted,
        reconciliation.rows_quarantined,
        reconciliation.rows_outside_window,
        coalesce(live.live_quarantined, 0) as live_quarantined
    from {{ model }} as reconciliation
    left join live
        on reconciliation.input_table = live.input_table

)

select
    *,
    {{ dbt.concat([
        "'Input '", "input_table", "': '",
        "cast(rows_read as " ~ dbt.type_string() ~ ")", "' rows read, but '",
        "cast(rows_accepted as " ~ dbt.type_string() ~ ")", "' accepted + '",
        "cast(rows_quarantined as " ~ dbt.type_string() ~ ")", "' quarantined ('",
        "cast(live_quarantined as " ~ dbt.type_string() ~ ")", "' in the quarantine) + '",
        "cast(rows_outside_window as " ~ dbt.type_string() ~ ")",
        "' outside the observation window. Rows went missing between the input and the models:'",
        "' this is a bug of the project, please report it with the input that causes it.'",
    ]) }} as message
from checked
where
    rows_read <> rows_accepted + live_quarantined + rows_outside_window
    or rows_quarantined <> live_quarantined

{% endtest %}

{#- The quarantined rows of one input: run with severity warn, the count shows in the
    build output. -#}
{% test quarantined_rows(model, quarantine, input_table) %}

select *
from {{ quarantine }}
where input_table = '{{ input_table }}'

{% endtest %}

{#- Inputs whose quarantined share of the rows read exceeds the var max_quarantined_share:
    fails the build, and no public or audit relation changes. Rows outside the observation
    window are not quarantined and never count against the threshold. A test of the
    reconciliation alone, so that dbt build skips everything downstream when it fails. -#}
{% test quarantine_within_threshold(model) %}

{%- set threshold = checked_var('max_quarantined_share') %}

with

over_threshold as (

    select
        input_table,
        rows_read,
        rows_quarantined,
        quarantine_reasons,
        cast(round(100.0 * rows_quarantined / rows_read, 1) as {{ dbt.type_string() }}) as quarantined_percent
    from {{ model }}
    where rows_quarantined > {{ threshold }} * rows_read

)

select
    *,
    {{ dbt.concat([
        "'Input '", "input_table", "': '",
        "cast(rows_quarantined as " ~ dbt.type_string() ~ ")", "' of '",
        "cast(rows_read as " ~ dbt.type_string() ~ ")", "' rows read are quarantined ('",
        "quarantined_percent", "' %), more than the var max_quarantined_share allows ('",
        "'" ~ (threshold * 100) ~ " %). Reasons: '", "coalesce(quarantine_reasons, '')",
        "'. This build is not kept: marts, metrics, audit and semantic still hold the last successful build.'",
        "' Its quarantined rows are in staging.stg_'", "input_table",
        "' (where rejection_reason is not null). Fix the input, or raise max_quarantined_share.'",
    ]) }} as message
from over_threshold

{% endtest %}
