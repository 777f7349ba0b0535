"""The dbt side of the pipeline: the DbtProject, the config seeds it reads, and the dbt assets."""
