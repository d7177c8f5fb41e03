{#- The counts and sums behind every CLV ratio, per segment: `overall` / `all`, each
    acquisition channel (those of customers, and those with marketing spend only) and each
    country (spend is recorded per channel: no spend, so no CAC, per country). Stored
    so that every figure of metrics.clv_summary can be re-derived by hand. -#}
with

clv_customers as (

    select * from {{ ref('int_clv_customers') }}

),

spend as (

    select * from {{ ref('stg_marketing_spend') }}
    where rejection_reason is null

),

as_of as (

    select
        as_of_date,
        {{ add_days(-365, 'as_of_date') }} as year_start_date

    from {{ ref('int_as_of_date') }}

),

segmented_customers as (

    select
        'overall' as segment_type,
        'all' as segment,
        clv_customers.*
    from clv_customers
    union all
    select
        'acquisition_channel' as segment_type,
        acquisition_channel as segment,
        clv_customers.*
    from clv_customers
    union all
    select
        'country' as segment_type,
        country as segment,
        clv_customers.*
    from clv_customers

),

customer_counts as (

    select
        segment_type,
        segment,
        {{ count_where('orders_in_year > 0') }} as purchasers,
        cast(sum(orders_in_year) as {{ type_count() }}) as orders_in_year,
        cast(sum(revenue_in_year) as {{ type_money_sum() }}) as revenue_in_year,
        {{ count_where('is_active_at_year_start') }} as customers_active_at_year_start,
        {{ count_where('is_active_at_year_start and not is_active') }} as customers_lost_in_year,
        {{ count_where('is_new_in_year') }} as new_customers_in_year,
        {{ count_where('is_purchaser and not is_active') }} as lapsed_purchasers,
        cast(sum(case when is_purchaser and not is_active then lifespan_days end) as {{ type_count() }})
            as lapsed_lifespan_days

    from segmented_customers
    group by segment_type, segment

),

year_spend as (

    select
        spend.channel,
        spend.amount
    from spend
    cross join as_of
    where spend.spend_date >= as_of.year_start_date and spend.spend_date < as_of.as_of_date

),

segmented_spend as (

    select
        'overall' as segment_type,
        'all' as segment,
        amount
    from year_spend
    union all
    select
        'acquisition_channel' as segment_type,
        channel as segment,
        amount
    from year_spend

),

spend_totals as (

    select
        segment_type,
        segment,
        cast(sum(amount) as {{ type_money_sum() }}) as marketing_spend_in_year

    from segmented_spend
    group by segment_type, segment

),

final as (

    select
        coalesce(customer_counts.segment_type, spend_totals.segment_type) as segment_type,
        coalesce(customer_counts.segment, spend_totals.segment) as segment,
        coalesce(customer_counts.purchasers, 0) as purchasers,
        coalesce(customer_counts.orders_in_year, 0) as orders_in_year,
        cast(coalesce(customer_counts.revenue_in_year, 0) as {{ type_money_sum() }}) as revenue_in_year,
        coalesce(customer_counts.customers_active_at_year_start, 0) as customers_active_at_year_start,
        coalesce(customer_counts.customers_lost_in_year, 0) as customers_lost_in_year,
        coalesce(customer_counts.new_customers_in_year, 0) as new_customers_in_year,
        coalesce(customer_counts.lapsed_purchasers, 0) as lapsed_purchasers,
        customer_counts.lapsed_lifespan_days,
        spend_totals.marketing_spend_in_year

    from customer_counts
    full outer join spend_totals
        on
            customer_counts.segment_type = spend_totals.segment_type
            and customer_counts.segment = spend_totals.segment

)

select * from final
