{%- set window_days = churn_window_days() %}
-- depends_on: {{ ref('input_reconciliation') }}

with

customers as (

    select * from {{ ref('stg_customers') }}
    where rejection_reason is null

),

order_summary as (

    select * from {{ ref('int_customer_order_summary') }}

),

survey_responses as (

    select * from {{ ref('survey_responses') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

customer_ids as (

    {#- Known customers, and customers seen only in orders or survey responses (channel
        unknown). -#}
    select customer_id from customers
    union
    select customer_id from order_summary
    union
    select customer_id from survey_responses
    where customer_id is not null

),

joined as (

    select
        customer_ids.customer_id,
        coalesce(customers.acquisition_channel, 'unknown') as acquisition_channel,
        coalesce(customers.country, 'unknown') as country,
        coalesce(order_summary.completed_orders, 0) as completed_orders,
        cast(coalesce(order_summary.revenue, 0) as {{ type_money_sum() }}) as revenue,
        as_of.as_of_date,
        order_summary.first_order_at,
        order_summary.last_order_at

    from customer_ids
    cross join as_of
    left join customers
        on customer_ids.customer_id = customers.customer_id
    left join order_summary
        on customer_ids.customer_id = order_summary.customer_id

),

measured as (

    select
        customer_id,
        acquisition_channel,
        country,
        completed_orders,
        revenue,
        {{ safe_ratio('revenue', 'completed_orders') }} as aov,
        {{ days_between(to_date('first_order_at'), 'as_of_date') }} as tenure_days,
        {{ days_between(to_date('last_order_at'), 'as_of_date') }} as recency_days,
        {{ days_between(to_date('first_order_at'), to_date('last_order_at')) }} as lifespan_days,
        completed_orders > 0 as is_purchaser,
        coalesce({{ to_date('last_order_at') }} >= {{ add_days(-window_days, 'as_of_date') }}, false) as is_active,
        {{ month_of('first_order_at') }} as cohort_month,
        first_order_at,
        last_order_at

    from joined

),

ranked as (

    {#- Cumulative distribution among purchasers, counted exactly: rows at or below the
        customer's value in each ordering, ties included, over the number of purchasers. -#}
    select
        customer_id,
        count(*) over (order by recency_days desc) as recency_rank,
        count(*) over (order by completed_orders) as frequency_rank,
        count(*) over (order by revenue) as monetary_rank,
        count(*) over (order by revenue desc) as revenue_rank_from_top,
        count(*) over () as purchasers

    from measured
    where is_purchaser

),

scored as (

    select
        customer_id,
        cast(ceil(cast(5 * recency_rank as {{ type_double() }}) / purchasers) as integer) as recency_score,
        cast(ceil(cast(5 * frequency_rank as {{ type_double() }}) / purchasers) as integer) as frequency_score,
        cast(ceil(cast(5 * monetary_rank as {{ type_double() }}) / purchasers) as integer) as monetary_score,
        case
            when 5 * revenue_rank_from_top <= purchasers then 'high'
            when 2 * revenue_rank_from_top <= purchasers then 'medium'
            else 'low'
        end as value_tier

    from ranked

),

final as (

    select
        measured.customer_id,
        measured.acquisition_channel,
        case
            when measured.is_purchaser then segment_map.rfm_segment
            else 'none'
        end as rfm_segment,
        coalesce(scored.value_tier, 'none') as value_tier,
        measured.completed_orders,
        measured.revenue,
        measured.aov,
        measured.tenure_days,
        measured.recency_days,
        measured.lifespan_days,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        measured.is_active,
        measured.cohort_month,
        measured.first_order_at,
        measured.last_order_at,
        measured.country

    from measured
    left join scored
        on measured.customer_id = scored.customer_id
    left join segment_map
        on
            scored.recency_score = segment_map.recency_score
            and scored.frequency_score = segment_map.frequency_score

)

select * from final
