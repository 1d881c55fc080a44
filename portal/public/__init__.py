"""Public, anonymised pages and open data (no login).

Views live in modules named ``*views.py`` in this package (one per area); they are all
imported here, so a new area adds a module and nothing else.
"""

import importlib
import pkgutil

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/publik")


def _template_helpers(state) -> None:
    """The glossary and the figure tests (``fig is shown``) for the public templates."""
    state.app.jinja_env.globals.update(
        istilah=importlib.import_module("kinerja.queries.public_method").GLOSSARY
    )
    state.app.jinja_env.tests.update(
        importlib.import_module("kinerja.queries.public_common").FIGURE_TESTS
    )


bp.record_once(_template_helpers)

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    if _info.name.endswith("views"):
        importlib.import_module(f"{__name__}.{_info.name}")
