"""Same arguments, same bytes; a re-run replaces the previous demo and nothing else."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from orchestration.demo import generate_demo

ARGS = {"months": 12, "scale": 0.2, "end_month": date(2024, 12, 1)}


def tree_hash(root: Path) -> str:
    """One digest over every file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", seed=7, **ARGS)
    second = generate_demo(tmp_path / "b", seed=7, **ARGS)
    assert tree_hash(tmp_path / "a") == tree_hash(tmp_path / "b")
    assert first.tables == second.tables


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    generate_demo(tmp_path / "a", seed=7, **ARGS)
    generate_demo(tmp_path / "b", seed=8, **ARGS)
    assert tree_hash(tmp_path / "a") != tree_hash(tmp_path / "b")


def test_rerun_replaces_previous_output_but_keeps_other_files(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    generate_demo(landing, seed=7, defects=frozenset({"late_rows"}), **ARGS)
    assert (landing / "support" / "tickets" / "2024-12_late.csv").exists()
    (landing / "billing" / "invoices" / "1999-01.csv").write_text("stale\n")
    (landing / "my_own_exports").mkdir()
    (landing / "my_own_exports" / "keep.csv").write_text("a\n1\n")

    generate_demo(landing, seed=7, **ARGS)
    generate_demo(tmp_path / "fresh", seed=7, **ARGS)

    assert not (landing / "billing" / "invoices" / "1999-01.csv").exists()
    assert not (landing / "support" / "tickets" / "2024-12_late.csv").exists()
    assert (landing / "my_own_exports" / "keep.csv").read_text() == "a\n1\n"
    (landing / "my_own_exports" / "keep.csv").unlink()
    (landing / "my_own_exports").rmdir()
    assert tree_hash(landing) == tree_hash(tmp_path / "fresh")


def test_rows_scale_linearly(tmp_path: Path) -> None:
    small = generate_demo(tmp_path / "small", seed=7, **(ARGS | {"scale": 0.3}))
    large = generate_demo(tmp_path / "large", seed=7, **(ARGS | {"scale": 0.9}))
    for table in ("crm.accounts", "billing.invoices", "support.tickets", "product.onboarding_events"):
        ratio = large.tables[table].rows / small.tables[table].rows
        assert 2.4 < ratio < 3.6, f"{table}: scale x3 gave x{ratio:.2f} rows"
