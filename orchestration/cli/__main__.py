"""``python -m orchestration.cli``: the same app as the ``scorecard`` script."""

from orchestration.cli import app

app()
