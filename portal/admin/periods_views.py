"""The admin console's periods (docs/spec/product.md §7): create a year, open and close
periods after a confirmation."""

from flask import flash, redirect, render_template, request, url_for

from kinerja import settings
from kinerja.clock import today_wib
from kinerja.enums import PeriodKind
from kinerja.queries import admin as admin_queries
from kinerja.queries.admin_dashboard import unfinished_evaluations
from kinerja.services import periods as period_service
from kinerja.services.followup import unfinished_followups
from portal.admin import bp
from portal.admin.common import current_account, fail, period_or_404
from portal.admin.console_forms import YearForm
from portal.security import internal_reader_required


@bp.route("/periode")
@internal_reader_required
def periods():
    """Years and their periods: create a year, open and close periods."""
    return _periods_page(YearForm(formdata=None, year=today_wib().year))


def _periods_page(form, status=200, unfinished=None, refused=None, followups=None):
    return (
        render_template(
            "admin/console/periods.html",
            form=form,
            years=admin_queries.periods_by_year(),
            unfinished=unfinished or [],
            followups=followups or [],
            refused=refused,
            annual_kind=PeriodKind.TAHUNAN,
        ),
        status,
    )


@bp.route("/periode/tahun", methods=["POST"])
@internal_reader_required
def period_year_create():
    """Create a year: its annual period, quarters or months, and deadlines."""
    form = YearForm()
    if form.validate_on_submit():
        try:
            period_service.create_year(
                form.year.data,
                form.kind.data,
                skp_deadline=form.skp_deadline.data,
                realisation_days=form.realisation_days.data,
                self_assessment_days=form.self_assessment_days.data,
                rating_days=form.rating_days.data,
                actor=current_account(),
            )
        except period_service.PeriodError as exc:
            form.year.errors = [*form.year.errors, str(exc)]
        else:
            flash(f"Tahun {form.year.data} dan periodenya dibuat.", "success")
            return redirect(url_for("admin.periods"), 303)
    return _periods_page(form, 422)


@bp.route("/periode/<int:period_id>/buka", methods=["GET", "POST"])
@internal_reader_required
def period_open(period_id):
    """Open a period after a confirmation that says what opening does (GET shows it;
    the POST needs ``konfirmasi=ya``). Refused before the period's first day."""
    period = period_or_404(period_id)
    refusal = period_service.open_refusal(period)
    if request.method == "POST" and not refusal:
        if request.form.get("konfirmasi") != "ya":
            return _period_open_page(period, None, 422, "Centang konfirmasi untuk membuka periode.")
        try:
            period_service.open_period(period, actor=current_account())
        except period_service.PeriodError as exc:
            fail(str(exc))
        else:
            flash(f"{period.name} dibuka; pengaturan yang berlaku dibekukan.", "success")
            return redirect(url_for("admin.periods"), 303)
        refusal = period_service.open_refusal(period)
    return _period_open_page(period, refusal, 409 if refusal else 200)


def _period_open_page(period, refusal, status, error=None):
    return (
        render_template(
            "admin/console/period_open.html",
            period=period,
            refusal=refusal,
            error=error,
            consequences=period_service.open_consequences(period) if not refusal else None,
            objection_days=settings.current()["objection_days"],
        ),
        status,
    )


@bp.route("/periode/<int:period_id>/tutup", methods=["GET", "POST"])
@internal_reader_required
def period_close(period_id):
    """Close a period after a confirmation that says what closing does (GET shows it; the
    POST needs ``konfirmasi=ya``); refused (with the list) while evaluations are unfinished."""
    period = period_or_404(period_id)
    if request.method == "POST" and request.form.get("konfirmasi") == "ya":
        try:
            period_service.close_period(period, actor=current_account())
        except period_service.PeriodUnfinished as exc:
            form = YearForm(formdata=None, year=today_wib().year)
            return _periods_page(
                form, 409, unfinished=exc.evaluations, followups=exc.followups, refused=period
            )
        except period_service.PeriodError as exc:
            fail(str(exc))
        else:
            flash(f"{period.name} ditutup.", "success")
        return redirect(url_for("admin.periods"), 303)
    pending = unfinished_evaluations(period) if period.is_open else []
    followups = unfinished_followups(period) if period.is_open and period.is_annual else []
    if pending or followups:
        form = YearForm(formdata=None, year=today_wib().year)
        return _periods_page(form, 409, unfinished=pending, followups=followups, refused=period)
    error = "Centang konfirmasi untuk menutup periode." if request.method == "POST" else None
    return (
        render_template(
            "admin/console/period_close.html",
            period=period,
            error=error,
            evaluations=admin_queries.evaluation_count(period),
        ),
        422 if error else 200,
    )
