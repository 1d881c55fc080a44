"""Staff kiosk pages: unit figures, "my kiosk figures" (whole ended months, issue 19),
counter sign-in and the roster."""

from datetime import date, datetime, timedelta

from flask import abort, flash, redirect, request, url_for

from kinerja.clock import today_wib, utcnow
from kinerja.enums import Unsur
from kinerja.formatting import MONTHS
from kinerja.models.org import Employee, Unit
from kinerja.permissions import kiosk as perms
from kinerja.permissions import reads_all_internal
from kinerja.queries import kiosk_counter, kiosk_figures
from kinerja.queries.kiosk_duty import takeover_notices
from kinerja.services import kiosk_duty as duty_service
from kinerja.services.kiosk import KioskError
from portal.render import page_or_fragment
from portal.security import current_actor, login_required, require
from portal.staff import bp
from portal.staff.kiosk_forms import DutyForm, EndDutyForm, RosterForm

YEARS_BACK = 5  # years offered on the figures pages (?tahun=)


@bp.route("/kios-saya")
@login_required
def kiosk_mine():
    """The kiosk figures attributed to me (answers given while I was on duty)."""
    actor = current_actor()
    return _employee_page(Employee.get_by_id(actor.employee_id), mine=True)


@bp.route("/pegawai/<int:employee_id>/kios")
@login_required
def kiosk_employee(employee_id: int):
    """Kiosk figures attributed to an employee (self, supervisor chain, admins, auditors)."""
    employee = Employee.get_or_none(Employee.id == employee_id)
    if employee is None:
        abort(404)
    require(perms.can_view_employee_figures(current_actor(), employee))
    return _employee_page(employee, mine=employee.id == current_actor().employee_id)


def _year_arg() -> tuple[int | None, int]:
    """The requested year (None: the twelve months before this one) and the status."""
    raw = request.args.get("tahun", "")
    if not raw:
        return None, 200
    today = today_wib()
    if raw.isdigit() and today.year - YEARS_BACK <= int(raw) <= today.year:
        return int(raw), 200
    return None, 422


def _months_window() -> tuple[tuple[date, date], dict, int]:
    """The ended months asked for (``?tahun=``), the year form's context and the status."""
    year, status = _year_arg()
    today = today_wib()
    window = kiosk_figures.ended_months_window(today, year)
    if window is None:  # a year none of whose months has ended
        window = (date(year, 1, 1), date(year, 1, 1) - timedelta(days=1))
    context = {
        "year": year,
        "years": list(range(today.year, today.year - YEARS_BACK - 1, -1)),
        "year_error": status == 422,
    }
    return window, context, status


def _disclosed_page(title, subject, disclosed, status, year_context, **extra):
    return page_or_fragment(
        "staff/kiosk/figures.html",
        "staff/kiosk/_figures.html",
        status,
        title=title,
        subject=subject,
        figures=disclosed.figures,
        monthly=disclosed.months,
        comments=disclosed.comments,
        disclosed=disclosed,
        start=disclosed.start,
        end=disclosed.end,
        unsur=list(Unsur),
        month_names=MONTHS,
        **year_context,
        **extra,
    )


def _employee_page(employee: Employee, mine: bool):
    # Issue 19: no day ranges for the person rated: whole ended months only, each shown
    # with at least the public minimum n (kinerja.queries.kiosk_figures.officer_figures).
    window, year_context, status = _months_window()
    return _disclosed_page(
        "Nilai kios saya" if mine else f"Nilai kios: {employee.full_name}",
        employee,
        kiosk_figures.officer_figures(employee.id, *window),
        status,
        year_context,
        kind="employee",
        mine=mine,
    )


@bp.route("/kios-unit")
@login_required
def kiosk_units():
    """Units with kiosks whose figures I may read (whole ended months, issue 19)."""
    actor = current_actor()
    visible = perms.visible_unit_ids(actor)
    require(visible is None or bool(visible))
    unit_ids = kiosk_figures.units_with_answers(visible)
    units = kiosk_counter.units_by_name(unit_ids)
    window, year_context, status = _months_window()
    rows = [
        (u, kiosk_figures.unit_disclosed(u.id, *window, include_children=False).figures)
        for u in units
    ]
    return page_or_fragment(
        "staff/kiosk/units.html",
        "staff/kiosk/_units.html",
        status,
        rows=rows,
        start=window[0],
        end=window[1],
        min_n=kiosk_figures.min_n(),
        **year_context,
    )


@bp.route("/kios-unit/<int:unit_id>")
@login_required
def kiosk_unit(unit_id: int):
    """A unit's kiosk figures (its supervisors, admins, auditors), whole ended months."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        abort(404)
    require(perms.can_view_unit_figures(current_actor(), unit))
    window, year_context, status = _months_window()
    kiosks = kiosk_counter.unit_kiosks(unit.id)
    return _disclosed_page(
        f"Nilai kios: {unit.name}",
        unit,
        kiosk_figures.unit_disclosed(unit.id, *window),
        status,
        year_context,
        kind="unit",
        kiosks=kiosks,
    )


@bp.route("/jaga-loket", methods=["GET", "POST"])
@login_required
def kiosk_duty():
    """Sign in at a counter (answers at its kiosk are then attributed to me) or sign out."""
    actor = current_actor()
    form = DutyForm()
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit() or form.action.data not in ("masuk", "keluar", "baca"):
            status = 400
        else:
            try:
                if form.action.data == "masuk":
                    kiosk = kiosk_counter.kiosk_by_id(_int(form.kiosk_id.data))
                    if kiosk is None:
                        raise KioskError("Loket tidak ditemukan.")
                    duty_service.sign_in(actor, kiosk.id)
                    flash(f"Anda tercatat bertugas di {kiosk.label}.", "success")
                elif form.action.data == "baca":
                    duty_service.acknowledge_takeovers(actor)
                    flash("Pemberitahuan pengambilalihan ditandai sudah dibaca.", "success")
                else:
                    duty_service.sign_out(actor)
                    flash("Tugas jaga loket Anda telah diakhiri.", "success")
                return redirect(url_for("staff.kiosk_duty"), code=303)
            except KioskError as exc:
                flash(str(exc), "error")
                status = 422
    kiosks = kiosk_counter.counter_kiosks(actor.employee)
    on_duty = {k.id: duty_service.open_duty(k.id) for k in kiosks}
    mine = kiosk_counter.open_duty_of(actor.employee_id)
    return page_or_fragment(
        "staff/kiosk/duty.html",
        "staff/kiosk/_duty.html",
        status,
        kiosks=kiosks,
        on_duty=on_duty,
        mine=mine,
        can_roster={k.id: perms.can_roster_kiosk(actor, k) for k in kiosks},
        takeovers=takeover_notices(actor),
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@bp.route("/jaga-loket/<int:kiosk_id>/jadwal", methods=["GET", "POST"])
@login_required
def kiosk_roster(kiosk_id: int):
    """The duty roster of one counter: who sits there, from when to when."""
    actor = current_actor()
    kiosk = kiosk_counter.kiosk_by_id(kiosk_id)
    if kiosk is None:
        abort(404)
    manages = perms.can_roster_kiosk(actor, kiosk)
    require(manages or reads_all_internal(actor))
    form = RosterForm()
    end_form = EndDutyForm()
    people = kiosk_counter.roster_candidates(actor, kiosk) if manages else []
    form.employee_id.choices = [(0, "— pilih pegawai —")] + [(e.id, e.full_name) for e in people]
    status = 200
    error = None
    if request.method == "POST":
        require(manages)
        try:
            if "duty_id" in request.form:
                if not end_form.validate_on_submit():
                    abort(400)
                duty_service.end_duty(actor, _int(end_form.duty_id.data))
                flash("Jadwal jaga diperbarui.", "success")
                return redirect(url_for("staff.kiosk_roster", kiosk_id=kiosk.id), code=303)
            if form.validate_on_submit():
                start = _wib(form.day.data, form.start.data)
                end = _wib(form.day.data, form.end.data)
                duty_service.add_duty(actor, kiosk.id, form.employee_id.data, start, end)
                flash("Jadwal jaga ditambahkan.", "success")
                return redirect(url_for("staff.kiosk_roster", kiosk_id=kiosk.id), code=303)
            status = 422
        except KioskError as exc:
            error = str(exc)
            status = 422
    duties = kiosk_counter.recent_duties(kiosk.id)
    return page_or_fragment(
        "staff/kiosk/roster.html",
        "staff/kiosk/_roster.html",
        status,
        kiosk=kiosk,
        duties=duties,
        form=form,
        end_form=end_form,
        manages=manages,
        error=error,
        now=utcnow(),
    )


def _wib(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return duty_service.wib_to_utc(day, datetime.min.time().replace(hour=hours, minute=minutes))
