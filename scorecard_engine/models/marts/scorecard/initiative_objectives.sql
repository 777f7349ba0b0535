{#
    Which objectives each initiative serves (cfg_initiative_objectives), one row per pair, with the
    names and perspective a reader needs to place the initiative beside its objectives.
#}
with objective_links as (
    select * from {{ ref(project_name, 'cfg_initiative_objectives') }}
),

initiatives as (
    select * from {{ ref(project_name, 'cfg_initiatives') }}
),

objectives as (
    select * from {{ ref(project_name, 'cfg_objectives') }}
),

perspectives as (
    select * from {{ ref(project_name, 'cfg_perspectives') }}
)

select
    cast(objective_links.initiative_id as {{ dbt.type_string() }}) as initiative_id,
    cast(initiatives.initiative_name as {{ dbt.type_string() }}) as initiative_name,
    cast(objective_links.objective_id as {{ dbt.type_string() }}) as objective_id,
    cast(objectives.objective_name as {{ dbt.type_string() }}) as objective_name,
    cast(objectives.perspective_id as {{ dbt.type_string() }}) as perspective_id,
    cast(perspectives.perspective_name as {{ dbt.type_string() }}) as perspective_name,
    cast(objective_links.display_order as integer) as display_order
from objective_links
inner join initiatives
    on objective_links.initiative_id = initiatives.initiative_id
inner join objectives
    on objective_links.objective_id = objectives.objective_id
inner join perspectives
    on objectives.perspective_id = perspectives.perspective_id
