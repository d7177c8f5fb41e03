{#- Every input spend row, typed and screened: accepted rows have a null rejection_reason.
    Channels are trimmed and lower-cased to match customers.acquisition_channel. The input
    has no key: rows are additive, so repeated rows are all kept. -#}
{#- The input's columns, as declared in models/staging/sources.yml (a test checks they agree). -#}
{%- set input_columns = ['spent_on', 'channel', 'amount'] %}

with

source as (

    select * from {{ source('shop', 'marketing_spend') }}

),

raw as (

    select {{ raw_text_columns(input_columns) }}

    from source

),

typed as (

    select
        lower({{ clean_text('channel_raw') }}) as channel,
        {{ clean_text('amount_raw') }} as amount_text,
        {{ try_cast_as(clean_text('amount_raw'), type_double()) }} as amount_number,
        {{ try_cast_as(clean_text('amount_raw'), type_money()) }} as amount,
        {{ clean_text('spent_on_raw') }} as spent_on_text,
        cast({{ try_cast_as(clean_text('spent_on_raw'), dbt.type_timestamp()) }} as date) as spend_date,
        {{ raw_row(input_columns) }} as raw_row

    from raw

),

final as (

    {%- set checks = [
        ('spent_on_text is null', 'spent_on', 'missing_value'),
        ('spend_date is null', 'spent_on', 'not_a_date'),
        ('channel is null', 'channel', 'missing_value'),
        ('amount_text is null', 'amount', 'missing_value'),
        ('amount_number is null', 'amount', 'not_a_number'),
        ('amount_number < 0', 'amount', 'negative_amount'),
        ('amount is null or amount_number >= 1e16', 'amount', 'amount_too_large'),
        (more_than_two_decimals('amount_number', 'amount'), 'amount', 'more_than_two_decimals'),
    ] %}

    select
        channel,
        {{ first_failure(checks, 'column') }} as rejected_column,
        {{ first_failure(checks, 'reason') }} as rejection_reason,
        case when {{ first_failure(checks, 'reason') }} is not null then raw_row end as raw_row,
        amount,
        spend_date

    from typed

)

select * from final
