"""The report as a browser shows it: headless Chromium (Debian's package) renders charts and tables offline.

Chromium is required, not optional: `make test` (the README's test command, which `.ci/run` calls)
installs Debian's package when it is missing, so a missing browser fails here instead of silently
skipping the only test that looks at the page the way a reader does.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

from orchestration.report import ReportFiles, render_report
from orchestration.report.data import load_report_data
from tests.report.helpers import LATEST_PERIOD, parse_html

WIDTH, HEIGHT = 1400, 4000
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    configured = os.environ.get("CHROMIUM")
    path = (
        configured
        if configured and Path(configured).exists()
        else shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    )
    if path is None:
        pytest.fail(
            "headless Chromium is missing: `make test` installs Debian's package (apt-get install -y "
            "chromium, as root); or point CHROMIUM at a Chromium binary"
        )
    return path


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.glob('chromium-profile-*')))}"
    result = subprocess.run(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def _screenshot(tmp_path: Path, page: Path, name: str) -> Path:
    png = tmp_path / name
    _run_chromium(tmp_path, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri())
    assert png.exists(), f"Chromium wrote no screenshot for {page}"
    return png


def _read_png(path: Path) -> tuple[int, int, np.ndarray]:
    """Width, height and the decompressed (still filtered) scanlines of a PNG, checking its chunks."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    offset, chunks = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"corrupt {kind!r} chunk"
        chunks.append((kind, body))
        offset += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, bit_depth, colour_type = struct.unpack(">IIBB", chunks[0][1][:10])
    channels = {2: 3, 6: 4}[colour_type]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert bit_depth == 8 and len(raw) == height * (1 + width * channels)
    return width, height, np.frombuffer(raw, dtype=np.uint8)


@pytest.fixture(scope="module")
def report(marts_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    return render_report(marts_db, period=LATEST_PERIOD, out_dir=tmp_path_factory.mktemp("browser_report"))


def test_the_screenshot_is_a_real_page_of_the_expected_size(report: ReportFiles, tmp_path: Path) -> None:
    blank_page = tmp_path / "blank.html"
    blank_page.write_text("<!DOCTYPE html><html><body></body></html>")
    blank = _screenshot(tmp_path, blank_page, "blank.png")
    shot = _screenshot(tmp_path, report.html, "report.png")

    width, height, scanlines = _read_png(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    _, _, blank_scanlines = _read_png(blank)
    # Filtered scanlines of a uniform page are almost all zero bytes (about 0.02% are not here); the
    # report's text, charts and map make them two orders of magnitude busier (about 4.5%).
    blank_busy = np.count_nonzero(blank_scanlines) / blank_scanlines.size
    report_busy = np.count_nonzero(scanlines) / scanlines.size
    assert blank_busy < 0.001
    assert report_busy > 0.02 and report_busy > 50 * blank_busy
    assert shot.stat().st_size > 10 * blank.stat().st_size


def test_the_browser_dom_holds_the_charts_and_tables(
    marts_db: Path, report: ReportFiles, tmp_path: Path
) -> None:
    dom = _run_chromium(tmp_path, "--dump-dom", report.html.as_uri()).stdout
    page = parse_html(dom)
    data = load_report_data(marts_db, period=LATEST_PERIOD, scorecard_id="corporate", schema="scorecard")
    assert page.tags["svg"] >= len(data.measures) + 1
    assert len(page.with_class("svg", "trend-chart")) == len(data.measures)
    assert len(page.with_class("svg", "strategy-map")) == 1
    # Charts have drawn marks, not empty frames.
    assert page.tags["path"] > 3 * len(data.measures)
    assert page.tags["table"] >= 3 and page.tags["tr"] >= len(data.findings) + len(data.links)
    assert "What needs a decision" in page.text
    assert "Glossary of measures" in page.text
    for section_id in (
        "decisions",
        "perspectives",
        "strategy-map",
        "measures",
        "findings",
        "actions",
        "glossary",
    ):
        assert section_id in page.ids
