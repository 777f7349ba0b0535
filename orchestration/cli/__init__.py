"""The ``scorecard`` command line: parses arguments, calls the modules that do the work, prints.

``app.py`` holds the typer app (the error net, ``--company``, ``--debug``); each module beside it
registers its commands on that app when imported here, in the order ``scorecard --help`` lists them:
setting a company up (``setup``), running it (``run``), reading what runs left (``inspect``),
preparing the next strategy review (``review``).
"""

# ruff: noqa: I001 - the import order is the order of the commands in --help.
from orchestration.cli.app import RUN_LOCKED_EXIT, app
from orchestration.cli import setup
from orchestration.cli import run
from orchestration.cli import inspect
from orchestration.cli import review

__all__ = ["RUN_LOCKED_EXIT", "app", "inspect", "review", "run", "setup"]
