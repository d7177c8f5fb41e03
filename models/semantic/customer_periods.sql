{#- The semantic layer's customer-period grain: int_customer_periods (one row per customer and
    reported month, quarter or year in which the customer is active at the start, active at
    the end, or orders) with a single-column key, as a table of its own so that a failed
    build puts back the last successful version (decision log D35) and MetricFlow never
    reads a half-built intermediate table. -#}
with

customer_periods as (

    select * from {{ ref('int_customer_periods') }}

),

final as (

    select
        {{ dbt.concat([
            'customer_id', "'|'", 'period_type', "'|'", 'cast(period_start as ' ~ dbt.type_string() ~ ')'
        ]) }} as customer_period_key,
        customer_id,
        period_type,
        period_start,
        period_end,
        is_active_at_start,
        is_active_at_end,
        is_new,
        is_lost,
        is_reactivated,
        completed_orders,
        revenue

    from customer_periods

)

select * from final
