with

source as (

    select * from {{ input_relation('orders', is_required=true) }}

),

renamed as (

    select
        trim(cast(order_id as {{ dbt.type_string() }})) as order_id,
        trim(cast(customer_id as {{ dbt.type_string() }})) as customer_id,
        lower(trim(cast(status as {{ dbt.type_string() }}))) as status,
        cast(amount as {{ type_money() }}) as amount,
        cast(ordered_at as {{ dbt.type_timestamp() }}) as ordered_at

    from source

),

final as (

    select
        order_id,
        customer_id,
        status,
        amount,
        status = 'completed' as is_completed,
        {{ to_date('ordered_at') }} as order_date,
        ordered_at

    from renamed

)

select * from final
