{#- Every input spend row, typed and screened: accepted rows have a null rejection_reason.
    Channels are trimmed and lower-cased to match customers.acquisition_channel. The input
    has no key: rows are additive, so repeated rows are all kept. -#}
with

source as (

    select * from {{ input_relation('marketing_spend') }}

),

raw as (

    select
        cast(spent_on as {{ dbt.type_string() }}) as spent_on_raw,
        cast(channel as {{ dbt.type_string() }}) as channel_raw,
        cast(amount as {{ dbt.type_string() }}) as amount_raw

    from source

),

typed as (

    select
        lower({{ clean_text('channel_raw') }}) as channel,
        {{ clean_text('amount_raw') }} as amount_text,
        {{ try_cast_as(clean_text('amount_raw'), 'decimal(38, 10)') }} as amount_exact,
        {{ clean_text('spent_on_raw') }} as spent_on_text,
        cast({{ try_cast_as(clean_text('spent_on_raw'), dbt.type_timestamp()) }} as date) as spend_date,
        {{ raw_row(['spent_on', 'channel', 'amount']) }} as raw_row

    from raw

),

final as (

    {%- set checks = [
        ('spent_on_text is null', 'spent_on', 'missing_value'),
        ('spend_date is null', 'spent_on', 'not_a_date'),
        ('channel is null', 'channel', 'missing_value'),
        ('amount_text is null', 'amount', 'missing_value'),
        ('amount_exact is null', 'amount', 'not_a_number'),
        ('amount_exact < 0', 'amount', 'negative_amount'),
        ('amount_exact <> round(amount_exact, 2)', 'amount', 'more_than_two_decimals'),
        ('amount_exact >= 10000000000000000', 'amount', 'amount_too_large'),
    ] %}

    select
        channel,
        {{ first_failure(checks, 'column') }} as rejected_column,
        {{ first_failure(checks, 'reason') }} as rejection_reason,
        raw_row,
        {{ try_cast_as('amount_exact', type_money()) }} as amount,
        spend_date

    from typed

)

select * from final
