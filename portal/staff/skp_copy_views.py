"""Less typing on the SKP (issue 23 part 5): copy last year's SKP into this year's draft,
and start RHK from the supervisor's approved RHK."""

from flask import abort, flash, redirect, request, url_for

from kinerja.services import skp_copy as copy_service
from kinerja.services.skp import NotAllowed, SkpError
from portal.security import current_actor, login_required
from portal.staff import bp
from portal.staff.skp_views import _owned, _refused, _render_plan


@bp.route("/skp/salin", methods=["POST"])
@login_required
def skp_copy():
    """Start (or fill the empty draft of) this year's SKP from my SKP of last year."""
    actor = current_actor()
    year = request.form.get("year", type=int) or actor.day.year
    if year not in (actor.day.year, actor.day.year + 1):
        abort(400)
    try:
        result = copy_service.copy_previous(actor, year)
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        return _refused(exc, url_for("staff.skp_index"))
    flash(
        f"SKP {year} disalin dari SKP {result.from_year} sebagai draf: {result.rhks} RHK dan "
        f"{result.indicators} indikator. Periksa dan sesuaikan sebelum mengajukan.",
        "success",
    )
    if result.cleared:
        names = "; ".join(f"“{text[:80]}”" for text in result.cleared)
        flash(
            f"Tautan ke RHK pimpinan dilepas untuk {len(result.cleared)} RHK, karena SKP "
            f"{year} atasan Anda yang disetujui tidak memuat RHK yang sama: {names}. "
            "Pilih kembali RHK pimpinan yang diintervensi.",
            "info",
        )
    return redirect(url_for("staff.skp_detail", skp_id=result.skp.id), code=303)


@bp.route("/skp/<int:skp_id>/dari-rhk-atasan", methods=["POST"])
@login_required
def skp_cascade(skp_id):
    """Create RHK Utama drafts from the chosen approved RHK of my supervisor."""
    skp = _owned(skp_id)
    try:
        created = copy_service.cascade_from_supervisor(
            current_actor(), skp, request.form.getlist("parent")
        )
    except NotAllowed:
        abort(403)
    except SkpError as exc:
        if exc.status == 409:
            return _refused(exc, url_for("staff.skp_detail", skp_id=skp.id))
        message = " ".join(exc.errors.values()) or exc.message
        return _render_plan(skp, 422, quick_error=message, focus="cascade-error")
    flash(
        f"{len(created)} RHK Utama dibuat dari RHK atasan. Sesuaikan teksnya dan tambahkan "
        "indikatornya.",
        "success",
    )
    return redirect(url_for("staff.skp_detail", skp_id=skp.id) + "#skp-plan", code=303)
