{%- set margin = checked_var('gross_margin_rate') %}
{%- set discount = checked_var('annual_discount_rate') %}
{%- set lifetime_cap = checked_var('max_lifetime_years') %}

with

segments as (

    select * from {{ ref('int_clv_segments') }}

),

rates as (

    select
        segment_type,
        segment,
        purchasers,
        {{ safe_ratio('revenue_in_year', 'orders_in_year') }} as aov,
        {{ safe_ratio('orders_in_year', 'purchasers') }} as purchase_frequency,
        {{ safe_ratio('customers_lost_in_year', 'customers_active_at_year_start') }} as annual_churn_rate,
        {{ safe_ratio('lapsed_lifespan_days', 'lapsed_purchasers') }} / 365.25 as observed_lifetime_years,
        {{ safe_ratio('marketing_spend_in_year', 'new_customers_in_year') }} as cac

    from segments

),

lifetimes as (

    select
        rates.segment_type,
        rates.segment,
        rates.purchasers,
        rates.aov,
        rates.purchase_frequency,
        rates.annual_churn_rate,
        rates.observed_lifetime_years,
        rates.cac,
        {#- least() skips nulls on most engines: a null churn must stay null explicitly. -#}
        case
            when rates.annual_churn_rate is null then null
            when rates.annual_churn_rate = 0 then {{ lifetime_cap }}
            else least(1 / rates.annual_churn_rate, {{ lifetime_cap }})
        end as expected_lifetime_years,
        {#- m: yearly margin per customer. -#}
        rates.aov * rates.purchase_frequency * {{ margin }} as annual_margin_per_customer

    from rates

),

valued as (

    select
        lifetimes.segment_type,
        lifetimes.segment,
        lifetimes.purchasers,
        lifetimes.aov,
        lifetimes.purchase_frequency,
        lifetimes.annual_churn_rate,
        lifetimes.expected_lifetime_years,
        lifetimes.observed_lifetime_years,
        lifetimes.cac,
        lifetimes.annual_margin_per_customer * lifetimes.expected_lifetime_years as clv,
        {#- m (1 + d) / (1 + d - r) with r = 1 - churn, whose denominator is d + churn:
            null when it is 0 (no discount and no churn: an unbounded sum). -#}
        lifetimes.annual_margin_per_customer * (1 + {{ discount }})
        / nullif({{ discount }} + lifetimes.annual_churn_rate, 0) as discounted_clv

    from lifetimes

),

final as (

    select
        segment_type,
        segment,
        purchasers,
        cast(aov as {{ type_double() }}) as aov,
        cast(purchase_frequency as {{ type_double() }}) as purchase_frequency,
        cast(annual_churn_rate as {{ type_double() }}) as annual_churn_rate,
        cast(expected_lifetime_years as {{ type_double() }}) as expected_lifetime_years,
        cast(clv as {{ type_double() }}) as clv,
        cast(discounted_clv as {{ type_double() }}) as discounted_clv,
        cast(observed_lifetime_years as {{ type_double() }}) as observed_lifetime_years,
        cast(cac as {{ type_double() }}) as cac,
        cast({{ safe_ratio('clv', 'cac') }} as {{ type_double() }}) as clv_to_cac

    from valued

)

select * from final
