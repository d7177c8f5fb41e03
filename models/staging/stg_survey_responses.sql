{#- Every input survey response, typed and screened: accepted rows have a null
    rejection_reason. An empty customer_id is an anonymous response, not an error.
    Whether a response falls in the observation window (before as_of_date) is decided later,
    in int_survey_responses_screened. -#}

{#- The input's columns, as declared in models/staging/sources.yml (a test checks they agree). -#}
{%- set input_columns = ['response_id', 'customer_id', 'survey_type', 'score', 'responded_at'] %}

with

source as (

    select * from {{ source('shop', 'survey_responses') }}

),

raw as (

    select {{ raw_text_columns(input_columns) }}

    from source

),

typed as (

    select
        {{ clean_text('response_id_raw') }} as response_id,
        {{ clean_text('customer_id_raw') }} as customer_id,
        lower({{ clean_text('survey_type_raw') }}) as survey_type,
        {{ clean_text('score_raw') }} as score_text,
        {{ try_cast_as(clean_text('score_raw'), type_double()) }} as score_number,
        {{ clean_text('responded_at_raw') }} as responded_at_text,
        {{ try_cast_as(clean_text('responded_at_raw'), dbt.type_timestamp()) }} as responded_at,
        response_id_raw,
        customer_id_raw,
        survey_type_raw,
        score_raw,
        responded_at_raw

    from raw

),

checked as (

    {%- set checks = [
        ('response_id is null', 'response_id', 'missing_value'),
        ('survey_type is null', 'survey_type', 'missing_value'),
        ("survey_type not in ('nps', 'csat', 'ces')", 'survey_type', 'unknown_survey_type'),
        ('score_text is null', 'score', 'missing_value'),
        ('score_number is null or score_number <> round(score_number)', 'score', 'not_an_integer'),
        ('not ' ~ is_valid_survey_score('survey_type', 'score_number'), 'score', 'score_out_of_scale'),
        ('responded_at_text is null', 'responded_at', 'missing_value'),
        ('responded_at is null', 'responded_at', 'not_a_timestamp'),
    ] %}

    select
        response_id,
        customer_id,
        survey_type,
        case when score_number = round(score_number) then {{ try_cast_as('score_number', 'integer') }} end as score,
        responded_at,
        response_id_raw,
        customer_id_raw,
        survey_type_raw,
        score_raw,
        responded_at_raw,
        {{ first_failure(checks, 'column') }} as rejected_column,
        {{ first_failure(checks, 'reason') }} as rejection_reason

    from typed

),

deduplicated as (

    {%- set compared_columns = ['response_id', 'customer_id', 'survey_type', 'score', 'responded_at'] %}
    {{ screen_duplicates(
        'checked', 'response_id', compared_columns, raw_row(input_columns)
    ) }}

),

final as (

    select
        response_id,
        customer_id,
        {{ screening_columns('response_id', input_columns) }},
        survey_type,
        score,
        customer_id is null as is_anonymous,
        responded_at

    from deduplicated

)

select * from final
