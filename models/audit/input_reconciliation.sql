{#- For every input: rows read (counted on the input itself), and how each was classified:
    accepted, quarantined (audit.rejected_rows) or outside the observation window (at or
    after as_of_date; orders and survey responses only). rows_read = rows_accepted +
    rows_quarantined + rows_outside_window must hold: a row in none of them has disappeared,
    and the build fails (decision log D22, D33). -#}
with

read_counts as (

    {%- for table_name in ['orders', 'customers', 'survey_responses', 'marketing_spend'] %}
        select
            '{{ table_name }}' as input_table,
            count(*) as rows_read
        from {{ source('shop', table_name) }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

classified as (

    select
        'orders' as input_table,
        row_status
    from {{ ref('int_orders_screened') }}
    union all
    select
        'survey_responses' as input_table,
        row_status
    from {{ ref('int_survey_responses_screened') }}
    union all
    select
        'customers' as input_table,
        case when rejection_reason is null then 'accepted' else 'quarantined' end as row_status
    from {{ ref('stg_customers') }}
    union all
    select
        'marketing_spend' as input_table,
        case when rejection_reason is null then 'accepted' else 'quarantined' end as row_status
    from {{ ref('stg_marketing_spend') }}

),

classified_counts as (

    select
        input_table,
        {{ count_where("row_status = 'accepted'") }} as rows_accepted,
        {{ count_where("row_status = 'quarantined'") }} as rows_quarantined,
        {{ count_where("row_status = 'outside_window'") }} as rows_outside_window

    from classified
    group by input_table

),

reasons as (

    {#- The quarantine's reasons, most frequent first: 'reason count, ...'. -#}
    select
        input_table,
        {{ ordered_list(
            dbt.concat(["reason", "' '", "cast(reason_rows as " ~ dbt.type_string() ~ ")"]),
            ["-reason_rows", "reason"]
        ) }} as quarantine_reasons
    from (
        select
            input_table,
            reason,
            count(*) as reason_rows
        from {{ ref('rejected_rows') }}
        group by input_table, reason
    ) as reason_counts
    group by input_table

),

final as (

    select
        read_counts.input_table,
        cast(read_counts.rows_read as {{ type_count() }}) as rows_read,
        cast(coalesce(classified_counts.rows_accepted, 0) as {{ type_count() }}) as rows_accepted,
        cast(coalesce(classified_counts.rows_quarantined, 0) as {{ type_count() }}) as rows_quarantined,
        cast(coalesce(classified_counts.rows_outside_window, 0) as {{ type_count() }}) as rows_outside_window,
        reasons.quarantine_reasons

    from read_counts
    left join classified_counts
        on read_counts.input_table = classified_counts.input_table
    left join reasons
        on read_counts.input_table = reasons.input_table

)

select * from final
