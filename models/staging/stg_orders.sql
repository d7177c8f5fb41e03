{#- Every input order, typed and screened: accepted rows have a null rejection_reason;
    the others carry the first failing check (see docs/decision_log.md, D22). Whether an
    order falls in the observation window (before as_of_date) is decided later, in
    int_orders_screened.
    Incremental (D35): every input row carries a fingerprint of its raw values; a build
    re-screens only the order ids whose rows differ from the rows stored (new, changed,
    gone, or another number of copies), replaces their rows, and keeps the replaced versions
    (row_version 'previous') until the next build, for int_changed_customers. -#}
{{ config(**by_input_key('order_id')) }}

{#- The input's columns, as declared in models/staging/sources.yml (a test checks they agree). -#}
{%- set input_columns = ['order_id', 'customer_id', 'ordered_at', 'amount', 'status'] %}

with

source as (

    select * from {{ source('shop', 'orders') }}

),

raw as (

    select
        {{ raw_text_columns(input_columns) }},
        {{ input_key(clean_text('order_id')) }} as order_key,
        {{ row_fingerprint(input_columns) }} as row_fingerprint

    from source

),

changed_fingerprints as (  -- noqa: ST03

    {# Read only by an incremental build; a full build screens every row. #}
    {{ changed_fingerprints('raw') }}

),

changed_keys as (  -- noqa: ST03

    {{ changed_input_keys('raw', 'order_key', 'order_id', 'changed_fingerprints') }}

),

batch as (

    {{ rows_to_screen('raw', 'order_key', 'changed_keys') }}

),

typed as (

    select
        {{ clean_text('order_id_raw') }} as order_id,
        {{ clean_text('customer_id_raw') }} as customer_id,
        lower({{ clean_text('status_raw') }}) as status,
        {{ clean_text('amount_raw') }} as amount_text,
        {{ try_cast_as(clean_text('amount_raw'), type_double()) }} as amount_number,
        {{ try_cast_as(clean_text('amount_raw'), type_money()) }} as amount,
        {{ clean_text('ordered_at_raw') }} as ordered_at_text,
        {{ try_cast_as(clean_text('ordered_at_raw'), dbt.type_timestamp()) }} as ordered_at,
        row_fingerprint,
        order_id_raw,
        customer_id_raw,
        ordered_at_raw,
        amount_raw,
        status_raw

    from batch

),

checked as (

    {%- set checks = [
        ('order_id is null', 'order_id', 'missing_value'),
        ('customer_id is null', 'customer_id', 'missing_value'),
        ('ordered_at_text is null', 'ordered_at', 'missing_value'),
        ('ordered_at is null', 'ordered_at', 'not_a_timestamp'),
        ('amount_text is null', 'amount', 'missing_value'),
        ('amount_number is null', 'amount', 'not_a_number'),
        ('amount_number < 0', 'amount', 'negative_amount'),
        ('amount is null or amount_number >= 1e16', 'amount', 'amount_too_large'),
        (more_than_two_decimals('amount_number', 'amount'), 'amount', 'more_than_two_decimals'),
        ('status is null', 'status', 'missing_value'),
        ("status not in ('completed', 'cancelled', 'returned')", 'status', 'unknown_status'),
    ] %}

    select
        order_id,
        customer_id,
        status,
        amount,
        ordered_at,
        row_fingerprint,
        order_id_raw,
        customer_id_raw,
        ordered_at_raw,
        amount_raw,
        status_raw,
        {{ first_failure(checks, 'column') }} as rejected_column,
        {{ first_failure(checks, 'reason') }} as rejection_reason

    from typed

),

deduplicated as (

    {%- set compared_columns = ['order_id', 'customer_id', 'status', 'amount', 'ordered_at'] %}
    {{ screen_duplicates(
        'checked', 'order_id', compared_columns, raw_row(input_columns)
    ) }}

),

screened as (

    select
        order_id,
        customer_id,
        {{ screening_columns('order_id', input_columns) }},
        status,
        amount,
        status = 'completed' as is_completed,
        {{ to_date('ordered_at') }} as order_date,
        ordered_at,
        row_fingerprint

    from deduplicated

),

final as (

    {{ with_previous_versions('screened', [
        'order_id', 'customer_id', 'rejected_column', 'rejection_reason', 'raw_row', 'status', 'amount',
        'is_completed', 'order_date', 'ordered_at', 'row_fingerprint',
    ], 'order_id', 'order_key', 'changed_keys') }}

)

select * from final
