{#- Churn by each customer's latest NPS category: the latest valid NPS response before
    as_of_date (latest responded_at, ties broken by the greatest response_id); churned = not
    active at as_of_date. One row per category, always. -#}
with

responses as (

    select * from {{ ref('survey_responses') }}

),

customers as (

    select * from {{ ref('customers') }}

),

ranked as (

    select
        customer_id,
        nps_category,
        row_number() over (
            partition by customer_id
            order by responded_at desc, response_id desc
        ) as recency_rank

    from responses
    where
        survey_type = 'nps'
        and customer_id is not null

),

latest as (

    select
        ranked.customer_id,
        ranked.nps_category,
        customers.is_active

    from ranked
    inner join customers
        on ranked.customer_id = customers.customer_id
    where ranked.recency_rank = 1

),

categories as (

    select 'promoter' as nps_category
    union all
    select 'passive' as nps_category
    union all
    select 'detractor' as nps_category

),

counts as (

    select
        nps_category,
        cast(count(*) as {{ type_count() }}) as customers,
        {{ count_where('not is_active') }} as churned_customers

    from latest
    group by nps_category

),

final as (

    select
        categories.nps_category,
        coalesce(counts.customers, 0) as customers,
        coalesce(counts.churned_customers, 0) as churned_customers,
        cast({{ safe_ratio('counts.churned_customers', 'counts.customers') }} as {{ type_double() }})
            as churned_share

    from categories
    left join counts
        on categories.nps_category = counts.nps_category

)

select * from final
