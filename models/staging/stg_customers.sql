with

source as (

    select * from {{ input_relation('customers') }}

),

renamed as (

    select
        trim(cast(customer_id as {{ dbt.type_string() }})) as customer_id,
        lower(trim(cast(acquisition_channel as {{ dbt.type_string() }}))) as acquisition_channel,
        trim(cast(country as {{ dbt.type_string() }})) as country,
        cast(signed_up_at as {{ dbt.type_timestamp() }}) as signed_up_at

    from source

),

final as (

    select
        customer_id,
        coalesce(nullif(acquisition_channel, ''), 'unknown') as acquisition_channel,
        nullif(country, '') as country,
        signed_up_at

    from renamed

)

select * from final
