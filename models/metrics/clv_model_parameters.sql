{#- The fitted buy-till-you-die models' parameters (int_clv_model_fit, a Python model), typed
    for the public relation. DuckDB only. `model` and `parameter` are the contract's column
    names, though SQL keywords. -#}
with

fitted as (

    select * from {{ ref('int_clv_model_fit') }}

),

final as (

    select
        cast(model as {{ dbt.type_string() }}) as model,  -- noqa: RF04
        cast(parameter as {{ dbt.type_string() }}) as parameter,  -- noqa: RF04
        cast(estimate as {{ type_double() }}) as estimate,
        cast(std_error as {{ type_double() }}) as std_error,
        cast(log_likelihood as {{ type_double() }}) as log_likelihood,
        cast(customers as {{ type_count() }}) as customers,
        cast(is_converged as boolean) as is_converged,
        cast(time_unit as {{ dbt.type_string() }}) as time_unit,
        cast(spend_frequency_correlation as {{ type_double() }}) as spend_frequency_correlation

    from fitted

)

select * from final
