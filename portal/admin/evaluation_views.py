"""Minimal admin for evaluation: the Predikat Kinerja Organisasi per unit and period, and
the versioned distribution pattern (docs/spec/regulation.md §4). The full console comes later.

Also a CLI path: ``flask admin create-evaluations --period-id N`` creates the evaluations of
a period (the same use case that opening a period runs).
"""

import click
from flask import abort, flash, redirect, render_template, request, url_for

from kinerja.db import database
from kinerja.enums import OrgPredikat
from kinerja.models.org import Unit
from kinerja.models.period import Period
from kinerja.queries import admin as admin_queries
from kinerja.queries import evaluation as evaluation_queries
from kinerja.queries import periods as period_queries
from kinerja.services import calibration as calib
from kinerja.services import evaluation as svc
from kinerja.services.evaluation import EvaluationError
from portal.admin import bp
from portal.evaluation_pages import LABELS
from portal.security import current_actor, internal_reader_required


def _period() -> Period | None:
    period_id = request.values.get("period_id", type=int)
    if period_id:
        period = Period.get_or_none(Period.id == period_id)
        if period is None:
            abort(404)
        return period
    return evaluation_queries.default_period() or period_queries.current_period()


@bp.route("/predikat-organisasi", methods=["GET", "POST"])
@internal_reader_required
def org_predikat():
    """Set the organisation predikat of a unit for a period (admins; auditors read)."""
    period = _period()
    errors = []
    status = 200
    if request.method == "POST":
        unit = Unit.get_or_none(Unit.id == request.form.get("unit_id", type=int))
        if unit is None or period is None:
            errors.append("Pilih unit dan periode.")
        else:
            try:
                calib.set_org_predikat(
                    current_actor(),
                    unit,
                    period,
                    request.form.get("predikat", ""),
                    request.form.get("note", ""),
                )
            except EvaluationError as exc:
                errors.append(str(exc))
            else:
                flash(f"Predikat organisasi {unit.display_name} tersimpan.", "success")
                return redirect(url_for("admin.org_predikat", period_id=period.id), 303)
        status = 422
    return (
        render_template(
            "admin/evaluation/org_predikat.html",
            period=period,
            periods=admin_queries.periods_latest_first(),
            units=admin_queries.active_units(),
            assigned=admin_queries.org_predikat_by_unit(period),
            choices=OrgPredikat,
            errors=errors,
            E=LABELS,
        ),
        status,
    )


@bp.route("/pola-distribusi", methods=["GET", "POST"])
@internal_reader_required
def pattern():
    """The distribution pattern: active version, history, and a new version from a form
    with one percent field per bound (paling banyak / paling sedikit)."""
    errors: list[str] = []
    field_errors: dict[str, str] = {}
    status = 200
    values = None
    if request.method == "POST":
        values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "note")}
        try:
            row = calib.save_pattern_percents(current_actor(), values, request.form.get("note", ""))
        except calib.PatternInvalid as exc:
            errors = [str(exc), *exc.general]
            field_errors, status = exc.errors, 422
        except EvaluationError as exc:
            errors, status = [str(exc)], 422
        else:
            flash(f"Pola distribusi versi {row.version} aktif.", "success")
            return redirect(url_for("admin.pattern"), 303)
    active, rules = calib.active_pattern()
    versions = admin_queries.pattern_versions()
    fields = [
        (org_predikat, rule, calib.pattern_percent_label(org_predikat, rule))
        for org_predikat, rs in rules.items()
        for rule in rs
        if rule.percent is not None
    ]
    return (
        render_template(
            "admin/evaluation/pattern.html",
            active=active,
            rules=rules,
            versions=versions,
            fields=fields,
            values=values,
            field_errors=field_errors,
            errors=errors,
            E=LABELS,
        ),
        status,
    )


@bp.cli.command("create-evaluations")
@click.option("--period-id", type=int, required=True, help="Id periode yang sudah dibuka.")
def create_evaluations(period_id):
    """Create the evaluations of an opened period (idempotent)."""
    with database.connection_context():
        period = Period.get_or_none(Period.id == period_id)
        if period is None:
            raise click.ClickException(f"Periode {period_id} tidak ditemukan.")
        count = svc.create_evaluations_for_period(period)
    click.echo(f"{count} evaluasi dibuat untuk {period.name}.")
