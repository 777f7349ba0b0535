"""The Dagster wiring, and only the wiring: what Dagster loads (``definitions.py``) and the assets,
checks, resources, job, schedule and sensor it is made of.

Each module here is thin: it declares an asset or a check and calls the library code beside this
folder (``orchestration/ingestion``, ``config``, ``quality``, ``publish``, ``transform``…), which
imports nothing of Dagster and nothing from here. ``dagster dev -m orchestration.defs.definitions``
(what ``scorecard dev`` runs) loads it.

- ``definitions.py``: assembles ``Definitions`` from the pieces below, for one company's settings.
- ``resources.py``: ``company`` (the company's folders) and ``warehouse`` (the DuckDB file, run locks).
- ``config.py``: the ``scorecard_config`` asset (validate, compile to dbt seeds).
- ``ingestion.py``: one asset per source table in sources.yml.
- ``dbt.py`` and ``dbt_cli.py``: the dbt project as assets (every dbt test a blocking check), and the
  dbt CLI resource they run (partial parse kept, logs read ahead).
- ``quality.py``: the Great Expectations suites and the plausibility gate as blocking checks.
- ``publish.py``: write, audit and atomically publish the BI file.
- ``schedules.py``: monthly partitions, the job, the month-end schedule and the landing-zone sensor.
- ``event_log.py``: Dagster's SQLite event log with pooled connections (named in dagster.yaml).
"""
