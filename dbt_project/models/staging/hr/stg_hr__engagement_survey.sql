with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'engagement_survey'), ['response_id']) | indent(4) }}
),

renamed as (
    select
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(employee_id as {{ dbt.type_string() }}) as employee_id,
        cast(survey_id as {{ dbt.type_string() }}) as survey_id,
        cast(submitted_at as {{ dbt.type_timestamp() }}) as submitted_at,
        cast(engagement_score as {{ dbt.type_bigint() }}) as engagement_score,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
