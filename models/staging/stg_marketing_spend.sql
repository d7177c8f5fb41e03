with

source as (

    select * from {{ input_relation('marketing_spend') }}

),

final as (

    select
        lower(trim(cast(channel as {{ dbt.type_string() }}))) as channel,
        cast(amount as {{ type_money() }}) as amount,
        cast(spent_on as date) as spend_date

    from source

)

select * from final
