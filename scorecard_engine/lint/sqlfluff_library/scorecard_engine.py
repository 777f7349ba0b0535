"""Lint-time ``scorecard_engine.<macro>(...)``: dbt's package prefix, for sqlfluff's jinja templater.

sqlfluff loads the engine's macros by bare name (``load_macros_from_path``); a prefixed call, as
company models and the engine's own macros write it, is forwarded to the macro of that name in the
calling template's context.
"""

from jinja2 import pass_context
from sqlfluff.core.templaters.builtins.dbt import DbtMacroWrapper


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)

    @pass_context
    def forward(context, *args, **kwargs):
        target = context[name]
        # A macro from the caller's own file is a plain jinja macro: wrap it so dbt's return() works.
        if not isinstance(target, DbtMacroWrapper):
            target = DbtMacroWrapper(target)
        return target(*args, **kwargs)

    return forward
