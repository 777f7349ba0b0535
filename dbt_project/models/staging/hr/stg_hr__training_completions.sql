with source as (
    {{ scorecard_engine.latest_load_per_key(source('hr', 'training_completions'), ['completion_id']) | indent(4) }}
),

renamed as (
    select
        cast(completion_id as {{ dbt.type_string() }}) as completion_id,
        cast(training_assignment_id as {{ dbt.type_string() }}) as training_assignment_id,
        cast(completed_at as {{ dbt.type_timestamp() }}) as completed_at,
        cast(score as {{ scorecard_engine.type_double() }}) as score,
        _load_id,
        _loaded_at
    from source
)

select * from renamed
