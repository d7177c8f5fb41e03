{#- One row per purchaser: the predictive CLV (int_customer_predictions, a Python model)
    typed for the public relation, with a value segment by predicted CLV cut as
    marts.customers cuts value_tier by past revenue: `high` for the top 20 % of purchasers,
    `medium` for the next 30 %, `low` for the rest; ties share a segment (a customer's rank
    counts every purchaser with the same or a higher predicted CLV); `unknown` when the
    models could not be fitted. The rank only grows as the CLV falls, so each segment is the
    CLVs from its lowest one up: the cut points are found on the CLVs alone, then every
    customer is compared with them (no sort of the whole rows). DuckDB only. -#}
with

predictions as (

    select * from {{ ref('int_customer_predictions') }}

),

ranked as (

    select
        predicted_clv,
        count(*) over (order by predicted_clv desc) as rank_from_top,
        count(*) over () as purchasers

    from predictions

),

cut_points as (

    select
        min(case when 5 * rank_from_top <= purchasers then predicted_clv end) as lowest_high_clv,
        min(case when 2 * rank_from_top <= purchasers then predicted_clv end) as lowest_medium_clv

    from ranked

),

final as (

    select
        cast(predictions.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(predictions.p_alive as {{ type_double() }}) as p_alive,
        cast(predictions.expected_purchases_30d as {{ type_double() }}) as expected_purchases_30d,
        cast(predictions.expected_purchases_90d as {{ type_double() }}) as expected_purchases_90d,
        cast(predictions.expected_purchases_365d as {{ type_double() }}) as expected_purchases_365d,
        cast(predictions.expected_order_value as {{ type_double() }}) as expected_order_value,
        cast(predictions.predicted_clv as {{ type_double() }}) as predicted_clv,
        cast(
            case
                when predictions.predicted_clv is null then 'unknown'
                when predictions.predicted_clv >= cut_points.lowest_high_clv then 'high'
                when predictions.predicted_clv >= cut_points.lowest_medium_clv then 'medium'
                else 'low'
            end as {{ dbt.type_string() }}
        ) as value_segment

    from predictions
    cross join cut_points

)

select * from final
