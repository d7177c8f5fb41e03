{#- One row per purchaser: the predictive CLV (int_customer_predictions, a Python model)
    typed for the public relation, with a value segment by predicted CLV cut as
    marts.customers cuts value_tier by past revenue: `high` for the top 20 % of purchasers,
    `medium` for the next 30 %, `low` for the rest; ties share a segment (a customer's rank
    counts every purchaser with the same or a higher predicted CLV); `unknown` when the
    models could not be fitted. DuckDB only. -#}
with

predictions as (

    select * from {{ ref('int_customer_predictions') }}

),

ranked as (

    select
        *,
        count(*) over (order by predicted_clv desc) as rank_from_top,
        count(*) over () as purchasers

    from predictions

),

final as (

    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(p_alive as {{ type_double() }}) as p_alive,
        cast(expected_purchases_30d as {{ type_double() }}) as expected_purchases_30d,
        cast(expected_purchases_90d as {{ type_double() }}) as expected_purchases_90d,
        cast(expected_purchases_365d as {{ type_double() }}) as expected_purchases_365d,
        cast(expected_order_value as {{ type_double() }}) as expected_order_value,
        cast(predicted_clv as {{ type_double() }}) as predicted_clv,
        cast(
            case
                when predicted_clv is null then 'unknown'
                when 5 * rank_from_top <= purchasers then 'high'
                when 2 * rank_from_top <= purchasers then 'medium'
                else 'low'
            end as {{ dbt.type_string() }}
        ) as value_segment

    from ranked

)

select * from final
