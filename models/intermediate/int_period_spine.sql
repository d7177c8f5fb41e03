{#- The reported periods of every type: calendar months, quarters and years, complete only
    (a period is complete when its end is on or before as_of_date), from the period holding
    the first completed order. Built from the month spine: a quarter or a year is reported
    when its last month is. -#}
with

months as (

    select * from {{ ref('int_month_spine') }}

),

bounds as (

    {#- The end of the last complete month: no complete period ends later. -#}
    select max(next_month) as last_period_end

    from months

),

periods as (

    {%- for period_type, length_months in period_types() %}
        select distinct
            '{{ period_type }}' as period_type,
            {{ period_of(period_type, 'month') }} as period_start,
            {{ add_months(length_months, period_of(period_type, 'month')) }} as period_end

        from months
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        periods.period_type,
        periods.period_start,
        periods.period_end

    from periods
    cross join bounds
    where periods.period_end <= bounds.last_period_end

)

select * from final
