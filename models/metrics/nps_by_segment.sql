{#- NPS of customer-linked responses (anonymous responses are left out) by the responding
    customer's value tier, acquisition channel, RFM segment and country at as_of_date. Every segment value
    present among customers has a row, with zero counts and a null NPS when nobody in it
    answered. -#}
with

responses as (

    select * from {{ ref('survey_responses') }}

),

customers as (

    select * from {{ ref('customers') }}

),

linked as (

    select
        customers.value_tier,
        customers.acquisition_channel,
        customers.country,
        customers.rfm_segment,
        responses.nps_category

    from responses
    inner join customers
        on responses.customer_id = customers.customer_id
    where responses.survey_type = 'nps'

),

segmented as (

    select
        'value_tier' as segment_type,
        value_tier as segment,
        nps_category
    from linked
    union all
    select
        'acquisition_channel' as segment_type,
        acquisition_channel as segment,
        nps_category
    from linked
    union all
    select
        'rfm_segment' as segment_type,
        rfm_segment as segment,
        nps_category
    from linked
    union all
    select
        'country' as segment_type,
        country as segment,
        nps_category
    from linked

),

segments as (

    select distinct
        'value_tier' as segment_type,
        value_tier as segment
    from customers
    union all
    select distinct
        'acquisition_channel' as segment_type,
        acquisition_channel as segment
    from customers
    union all
    select distinct
        'rfm_segment' as segment_type,
        rfm_segment as segment
    from customers
    union all
    select distinct
        'country' as segment_type,
        country as segment
    from customers

),

counts as (

    select
        segment_type,
        segment,
        cast(count(*) as {{ type_count() }}) as responses,
        {{ nps_category_counts() }}

    from segmented
    group by segment_type, segment

),

final as (

    select
        segments.segment_type,
        segments.segment,
        coalesce(counts.responses, 0) as responses,
        coalesce(counts.promoters, 0) as promoters,
        coalesce(counts.passives, 0) as passives,
        coalesce(counts.detractors, 0) as detractors,
        cast(
            {{ nps_from_counts('counts.promoters', 'counts.detractors', 'counts.responses') }}
            as {{ type_double() }}
        ) as nps

    from segments
    left join counts
        on
            segments.segment_type = counts.segment_type
            and segments.segment = counts.segment

)

select * from final
