{#- Every input customer, typed and screened: accepted rows have a null rejection_reason.
    Channels are trimmed and lower-cased, so values differing only in case or spaces are one
    channel; a missing channel is `unknown`. Countries are trimmed and upper-cased; a missing
    country is `unknown`. -#}
{#- The input's columns, as declared in models/staging/sources.yml (a test checks they agree). -#}
{%- set input_columns = ['customer_id', 'signed_up_at', 'acquisition_channel', 'country'] %}

with

source as (

    select * from {{ source('shop', 'customers') }}

),

raw as (

    select {{ raw_text_columns(input_columns) }}

    from source

),

typed as (

    select
        {{ clean_text('customer_id_raw') }} as customer_id,
        coalesce(lower({{ clean_text('acquisition_channel_raw') }}), 'unknown') as acquisition_channel,
        coalesce(upper({{ clean_text('country_raw') }}), 'unknown') as country,
        {{ clean_text('signed_up_at_raw') }} as signed_up_at_text,
        {{ try_cast_as(clean_text('signed_up_at_raw'), dbt.type_timestamp()) }} as signed_up_at,
        customer_id_raw,
        signed_up_at_raw,
        acquisition_channel_raw,
        country_raw

    from raw

),

checked as (

    {%- set checks = [
        ('customer_id is null', 'customer_id', 'missing_value'),
        ('signed_up_at_text is not null and signed_up_at is null', 'signed_up_at', 'not_a_timestamp'),
    ] %}

    select
        customer_id,
        acquisition_channel,
        country,
        signed_up_at,
        customer_id_raw,
        signed_up_at_raw,
        acquisition_channel_raw,
        country_raw,
        {{ first_failure(checks, 'column') }} as rejected_column,
        {{ first_failure(checks, 'reason') }} as rejection_reason

    from typed

),

deduplicated as (

    {%- set compared_columns = ['customer_id', 'acquisition_channel', 'country', 'signed_up_at'] %}
    {{ screen_duplicates(
        'checked', 'customer_id', compared_columns, raw_row(input_columns)
    ) }}

),

final as (

    select
        customer_id,
        {{ screening_columns('customer_id', input_columns) }},
        acquisition_channel,
        country,
        signed_up_at

    from deduplicated

)

select * from final
