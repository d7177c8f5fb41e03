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
        {{ count_where('is_active_at_start') }} as customers_start,
        {{ count_where('is_active_at_end') }} as customers_end,
        {{ count_where('is_new') }} as new_customers,
        {{ count_where('is_lost') }} as lost_customers,
        {{ count_where('is_reactivated') }} as reactivated_customers

    from customer_months
    group by month

),

counted as (

    select
        months.month,
        coalesce(monthly.customers_start, 0) as customers_start,
        coalesce(monthly.customers_end, 0) as customers_end,
        coalesce(monthly.new_customers, 0) as new_customers,
        coalesce(monthly.lost_customers, 0) as lost_customers,
        coalesce(monthly.reactivated_customers, 0) as reactivated_customers

    from months
    left join monthly
        on months.month = monthly.month

),

final as (

    select
        month,
        customers_start,
        customers_end,
        new_customers,
        lost_customers,
        reactivated_customers,
        {{ churn_rate('lost_customers', 'customers_start') }} as churn_rate,
        {{ retention_rate('customers_end', 'new_customers', 'customers_start') }} as retention_rate

    from counted

)

select * from final
