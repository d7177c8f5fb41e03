{#- One row per purchaser: the repeat-purchase summary the buy-till-you-die models read
    (macros/purchase_summary.sql has the definitions) of their purchase days
    (int_clv_purchase_histories), observed to as_of_date. -#}
with

histories as (

    select * from {{ ref('int_clv_purchase_histories') }}

),

as_of as (

    select * from {{ ref('int_as_of_date') }}

),

{{ purchase_summary('histories', 'as_of') }},

final as (

    select * from purchase_summary

)

select * from final
