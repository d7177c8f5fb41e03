{#- For every input: rows read (counted on the input itself), rows accepted, rows
    quarantined. rows_read = rows_accepted + rows_quarantined must hold: a row that is neither
    accepted nor quarantined has disappeared, and the build fails before any public relation
    is replaced. -#}
with

read_counts as (

    select
        'orders' as input_table,
        count(*) as rows_read
    from {{ input_relation('orders', is_required=true) }} as input_rows  -- noqa: AL05
    union all
    select
        'customers' as input_table,
        count(*) as rows_read
    from {{ input_relation('customers') }} as input_rows  -- noqa: AL05
    union all
    select
        'survey_responses' as input_table,
        count(*) as rows_read
    from {{ input_relation('survey_responses') }} as input_rows  -- noqa: AL05
    union all
    select
        'marketing_spend' as input_table,
        count(*) as rows_read
    from {{ input_relation('marketing_spend') }} as input_rows  -- noqa: AL05

),

accepted_counts as (

    select
        'orders' as input_table,
        count(*) as rows_accepted
    from {{ ref('int_orders_screened') }}
    where rejection_reason is null
    union all
    select
        'customers' as input_table,
        count(*) as rows_accepted
    from {{ ref('stg_customers') }}
    where rejection_reason is null
    union all
    select
        'survey_responses' as input_table,
        count(*) as rows_accepted
    from {{ ref('int_survey_responses_screened') }}
    where rejection_reason is null
    union all
    select
        'marketing_spend' as input_table,
        count(*) as rows_accepted
    from {{ ref('stg_marketing_spend') }}
    where rejection_reason is null

),

quarantined_counts as (

    select
        input_table,
        count(*) as rows_quarantined

    from {{ ref('rejected_rows') }}
    group by input_table

),

final as (

    select
        read_counts.input_table,
        cast(read_counts.rows_read as {{ type_count() }}) as rows_read,
        cast(accepted_counts.rows_accepted as {{ type_count() }}) as rows_accepted,
        cast(coalesce(quarantined_counts.rows_quarantined, 0) as {{ type_count() }}) as rows_quarantined

    from read_counts
    inner join accepted_counts
        on read_counts.input_table = accepted_counts.input_table
    left join quarantined_counts
        on read_counts.input_table = quarantined_counts.input_table

)

select * from final
