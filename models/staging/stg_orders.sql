{#- Every input order, typed and screened: accepted rows have a null rejection_reason;
    the others carry the first failing check (see docs/decision_log.md, D22). Orders at or
    after as_of_date are screened later, in int_orders_screened. Incremental (D28): a run
    re-screens the input rows of the last days and every row sharing an order_id with them,
    replacing the rows of those order_ids. -#}
{{ config(**by_input_key('order_id')) }}

with

source as (

    select * from {{ input_relation('orders', is_required=true) }}

),

raw as (

    select {{ raw_text_columns('orders') }}

    from source

),

batch as (

    {{ input_batch('raw', 'orders', 'order_id', 'ordered_at', 'load_batch') }}

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
        'checked', 'order_id', compared_columns, raw_row(input_column_names('orders'))
    ) }}

),

final as (

    select
        order_id,
        customer_id,
        {{ screening_columns('order_id', 'orders') }},
        status,
        amount,
        {{ load_batch_number() }} as load_batch,
        status = 'completed' as is_completed,
        {{ to_date('ordered_at') }} as order_date,
        ordered_at

    from deduplicated

)

select * from final
