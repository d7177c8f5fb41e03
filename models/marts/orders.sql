with

orders as (

    select * from {{ ref('stg_orders') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

observed as (

    {#- Orders at or after as_of_date are future rows: outside the observation. -#}
    select orders.*
    from orders
    inner join as_of
        on orders.ordered_at < as_of.as_of_date

),

final as (

    select
        order_id,
        customer_id,
        status,
        amount,
        case
            when is_completed
                then cast(row_number() over (
                    partition by customer_id, is_completed
                    order by ordered_at, order_id
                ) as integer)
        end as customer_order_number,
        is_completed,
        ordered_at

    from observed

)

select * from final
