{#- Customer flows, churn, retention and sales per complete calendar month, quarter and year,
    for the whole shop and per acquisition channel, country and value tier (each customer's
    attributes at as_of_date, from marts.customers). The per-customer work is done once, in
    semantic.customer_periods; here customer-periods are counted per combination of the three
    attributes first, and each segment type sums those few combinations. -#}
{%- set segment_types = [
    ('overall', "'all'"),
    ('acquisition_channel', 'acquisition_channel'),
    ('country', 'country'),
    ('value_tier', 'value_tier'),
] %}
{%- set measures = [
    'customers_start', 'customers_end', 'new_customers', 'lost_customers', 'reactivated_customers',
    'orders', 'purchasing_customers',
] %}

with

customer_periods as (

    select * from {{ ref('customer_periods') }}

),

customers as (

    select * from {{ ref('customers') }}

),

periods as (

    select * from {{ ref('int_period_spine') }}

),

combinations as (

    {#- One row per period and combination of segment values: a few hundred rows per period
        at most, whatever the number of customers. -#}
    select
        customer_periods.period_type,
        customer_periods.period_start,
        customers.acquisition_channel,
        customers.country,
        customers.value_tier,
        {{ count_where('customer_periods.is_active_at_start') }} as customers_start,
        {{ count_where('customer_periods.is_active_at_end') }} as customers_end,
        {{ count_where('customer_periods.is_new') }} as new_customers,
        {{ count_where('customer_periods.is_lost') }} as lost_customers,
        {{ count_where('customer_periods.is_reactivated') }} as reactivated_customers,
        cast(sum(customer_periods.completed_orders) as {{ type_count() }}) as orders,
        cast(sum(customer_periods.revenue) as {{ type_money_sum() }}) as revenue,
        {{ count_where('customer_periods.completed_orders > 0') }} as purchasing_customers

    from customer_periods
    inner join customers
        on customer_periods.customer_id = customers.customer_id
    group by
        customer_periods.period_type,
        customer_periods.period_start,
        customers.acquisition_channel,
        customers.country,
        customers.value_tier

),

segment_counts as (

    {%- for segment_type, segment_column in segment_types %}
        select
            period_type,
            period_start,
            '{{ segment_type }}' as segment_type,
            {{ segment_column }} as segment,
            {%- for measure in measures %}
                cast(sum({{ measure }}) as {{ type_count() }}) as {{ measure }},
            {%- endfor %}
            cast(sum(revenue) as {{ type_money_sum() }}) as revenue

        from combinations
        group by period_type, period_start{% if segment_type != 'overall' %}, {{ segment_column }}{% endif %}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

segments as (

    {#- Every segment value present in marts.customers, and the whole shop. -#}
    {%- for segment_type, segment_column in segment_types %}
        {%- if segment_type == 'overall' %}
            select
                'overall' as segment_type,
                'all' as segment
        {%- else %}
            select distinct
                '{{ segment_type }}' as segment_type,
                {{ segment_column }} as segment
            from customers
        {%- endif %}
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

counted as (

    {#- Every period and segment, zeros included. -#}
    select
        periods.period_type,
        periods.period_start,
        segments.segment_type,
        segments.segment,
        {%- for measure in measures %}
            coalesce(segment_counts.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}
        cast(coalesce(segment_counts.revenue, 0) as {{ type_money_sum() }}) as revenue

    from periods
    cross join segments
    left join segment_counts
        on
            periods.period_type = segment_counts.period_type
            and periods.period_start = segment_counts.period_start
            and segments.segment_type = segment_counts.segment_type
            and segments.segment = segment_counts.segment

),

final as (

    select
        period_type,
        period_start,
        segment_type,
        segment,
        customers_start,
        customers_end,
        new_customers,
        lost_customers,
        reactivated_customers,
        {{ churn_rate('lost_customers', 'customers_start') }} as churn_rate,
        {{ retention_rate('customers_end', 'new_customers', 'customers_start') }} as retention_rate,
        orders,
        revenue,
        purchasing_customers,
        {{ safe_ratio('revenue', 'orders') }} as aov

    from counted

)

select * from final
