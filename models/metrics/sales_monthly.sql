with

customer_months as (

    select * from {{ ref('int_customer_months') }}

),

months as (

    select * from {{ ref('int_month_spine') }}

),

monthly as (

    select
        month,
        cast(sum(completed_orders) as {{ type_count() }}) as orders,
        cast(sum(revenue) as {{ type_money_sum() }}) as revenue,
        {{ count_where('completed_orders > 0') }} as purchasing_customers,
        {{ count_where('is_new') }} as new_customers

    from customer_months
    group by month

),

final as (

    select
        months.month,
        coalesce(monthly.orders, 0) as orders,
        cast(coalesce(monthly.revenue, 0) as {{ type_money_sum() }}) as revenue,
        coalesce(monthly.purchasing_customers, 0) as purchasing_customers,
        coalesce(monthly.new_customers, 0) as new_customers,
        {{ safe_ratio('monthly.revenue', 'monthly.orders') }} as aov,
        {{ safe_ratio('monthly.orders', 'monthly.purchasing_customers') }} as purchase_frequency

    from months
    left join monthly
        on months.month = monthly.month

)

select * from final
