with

source as (

    select * from {{ input_relation('survey_responses') }}

),

renamed as (

    select
        trim(cast(response_id as {{ dbt.type_string() }})) as response_id,
        trim(cast(customer_id as {{ dbt.type_string() }})) as customer_id,
        lower(trim(cast(survey_type as {{ dbt.type_string() }}))) as survey_type,
        cast(score as integer) as score,
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at

    from source

),

final as (

    select
        response_id,
        nullif(customer_id, '') as customer_id,
        survey_type,
        score,
        customer_id is null or customer_id = '' as is_anonymous,
        responded_at

    from renamed

)

select * from final
