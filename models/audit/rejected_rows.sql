{#- Quarantine: every input row that failed a check, with the input it came from, its key
    (or, without one, a hash of its raw values), the offending column, the reason, and the
    raw values as read. -#}
with

orders as (

    select * from {{ ref('int_orders_screened') }}
    where row_status = 'quarantined'

),

customers as (

    select * from {{ ref('stg_customers') }}
    where rejection_reason is not null

),

survey_responses as (

    select * from {{ ref('int_survey_responses_screened') }}
    where row_status = 'quarantined'

),

marketing_spend as (

    select * from {{ ref('stg_marketing_spend') }}
    where rejection_reason is not null

),

unioned as (

    select
        'orders' as input_table,
        order_id as row_key,
        rejected_column,
        rejection_reason,
        raw_row
    from orders
    union all
    select
        'customers' as input_table,
        customer_id as row_key,
        rejected_column,
        rejection_reason,
        raw_row
    from customers
    union all
    select
        'survey_responses' as input_table,
        response_id as row_key,
        rejected_column,
        rejection_reason,
        raw_row
    from survey_responses
    union all
    select
        'marketing_spend' as input_table,
        cast(null as {{ dbt.type_string() }}) as row_key,
        rejected_column,
        rejection_reason,
        raw_row
    from marketing_spend

),

final as (

    select
        input_table,
        coalesce(row_key, {{ dbt.concat(["'raw-md5:'", dbt.hash('raw_row')]) }}) as row_key,
        rejected_column as column_name,
        rejection_reason as reason,
        raw_row

    from unioned

)

select * from final
