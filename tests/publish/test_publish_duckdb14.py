"""The published file opens in DuckDB 1.4, the version BI tools such as Evidence bundle.

The proof is direct: a DuckDB 1.4 wheel is downloaded from PyPI into a throwaway virtual environment
and a separate Python process opens the file with it. The test skips (saying why) only when PyPI is
out of reach; the header check in test_publish_wap.py needs no network.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import publish_scorecard
from tests.publish.helpers import CRAFTED_TABLES, craft_warehouse, table_counts

READ_WITH_OLD_DUCKDB = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = [name for (name,) in con.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'scorecard' "
    "AND table_name <> 'publications'").fetchall()]
counts = {name: con.execute(f'SELECT count(*) FROM scorecard."{name}"').fetchall()[0][0] for name in tables}
print(json.dumps({"version": duckdb.__version__, "counts": counts}))
"""


@pytest.fixture(scope="session")
def duckdb14_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a new virtual environment holding DuckDB 1.4.x and nothing of ours."""
    root = tmp_path_factory.mktemp("duckdb14")
    wheels = root / "wheels"
    pip_download = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
    download = subprocess.run(
        [*pip_download, "--dest", str(wheels), "duckdb>=1.4,<1.5"],
        capture_output=True,
        text=True,
    )
    if download.returncode != 0:
        pytest.skip(f"cannot download a DuckDB 1.4 wheel from PyPI here: {download.stderr.strip()[-500:]}")
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(wheels), "duckdb"],
        check=True,
    )
    return python


def _read_with(python: Path, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-c", READ_WITH_OLD_DUCKDB, str(path)], capture_output=True, text=True
    )


def test_duckdb_1_4_reads_a_published_file(duckdb14_python, tmp_path):
    warehouse = craft_warehouse(tmp_path / "warehouse.duckdb")
    published = tmp_path / "published" / "bsc_published.duckdb"
    publish_scorecard(warehouse, published, CRAFTED_TABLES, run_id="run-a")

    result = _read_with(duckdb14_python, published)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["version"].startswith("1.4.")
    with duckdb.connect(str(published), read_only=True) as con:
        assert seen["counts"] == table_counts(con)


def test_duckdb_1_4_cannot_read_a_file_written_with_default_storage(duckdb14_python, tmp_path):
    # The control: without storage_compatibility_version the same tables are unreadable by 1.4,
    # so the test above would catch a publisher that forgot the setting.
    default = tmp_path / "default.duckdb"
    with duckdb.connect(str(default)) as con:
        con.execute("CREATE SCHEMA scorecard")
        con.execute("CREATE TABLE scorecard.measure_values AS SELECT 1 AS value")
    result = _read_with(duckdb14_python, default)
    assert result.returncode != 0
    assert "version" in result.stderr.lower()


@pytest.mark.slow
def test_duckdb_1_4_reads_the_published_demo_scorecard(duckdb14_python, baseline):
    result = _read_with(duckdb14_python, baseline.published)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(baseline.published), read_only=True) as con:
        assert json.loads(result.stdout)["counts"] == table_counts(con)
