{#- One row per purchaser: the repeat-purchase summary the buy-till-you-die models read
    (macros/purchase_summary.sql has the definitions), observed to as_of_date. -#}
with

orders as (

    select * from {{ ref('int_orders') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

{{ purchase_summary('orders', 'as_of') }},

final as (

    select * from purchase_summary

)

select * from final
