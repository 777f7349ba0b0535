"""``python -m orchestration.export bi-guide [--check]``: regenerate (or check) docs/bi-guide.md."""

from __future__ import annotations

import sys

from orchestration.export.bi_guide import main

_USAGE = "usage: python -m orchestration.export bi-guide [--check] [--manifest PATH] [--output PATH]"

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "bi-guide":
        print(_USAGE, file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[2:]))
