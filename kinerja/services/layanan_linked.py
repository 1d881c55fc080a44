"""Use cases of SKP indicators linked to the service standards (docs/spec/product.md §4): a
draft SKP's indicator linked to a jenis layanan and a figure, its realisation filled from the
requests its owner completed, and the owner's note beside it.
"""

import re
from datetime import date
from decimal import Decimal

from kinerja.clock import today_wib, utcnow
from kinerja.db import write_tx
from kinerja.enums import Direction, PeriodStatus
from kinerja.models.period import Period
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from kinerja.permissions import Actor
from kinerja.permissions.service import (
    can_link_indicator,
    can_note_linked_indicator,
    skp_of,
)
from kinerja.queries.layanan import linkable_service_types, linked_realisation_detail, parse_detail
from kinerja.queries.service_figures import (
    FIGURE_DIRECTION,
    LinkedFigure,
)
from kinerja.services import audit
from kinerja.services.layanan import NotAllowed, ServiceError


def refresh_linked_realisation(indicator: Indicator, period: Period) -> Realisation | None:
    """Fill a linked indicator's realisation for a period from the requests (automatic).

    Only the value and its detail change; the owner's note and evidence stay.
    """
    detail = linked_realisation_detail(indicator, period)
    if detail is None:
        return None
    value = Decimal(detail.value) if detail.value is not None else None
    text = detail.to_json()
    with write_tx():
        row = Realisation.get_or_none(
            (Realisation.indicator == indicator.id) & (Realisation.period == period.id)
        )
        if row is None:
            row = Realisation(indicator=indicator.id, period=period.id)
        old = parse_detail(row.auto_detail)
        changed = row.id is None or row.value != value or old != parse_detail(text)
        if not changed and row.automatic:
            return row
        before = {"value": row.value, "automatic": row.automatic} if row.id else None
        row.value = value
        row.automatic = True
        row.auto_detail = text
        row.updated_at = utcnow()
        row.save()
        audit.record(
            "service.realisation_refreshed",
            actor_label="sistem",
            object_type="realisation",
            object_id=row.id,
            before=before,
            after={"value": value, "n": detail.n, "figure": detail.figure},
        )
    return row


def _current_periods(year: int, day: date | None = None) -> list[Period]:
    query = Period.select().where((Period.year == year) & (Period.status != PeriodStatus.DITUTUP))
    if day is not None:
        query = query.where((Period.start <= day) & (Period.end >= day))
    else:
        query = query.where(Period.start <= today_wib())
    return list(query.order_by(Period.start, Period.id))


def refresh_linked_for(employee_id: int, service_type_id: int, day: date) -> int:
    """Refresh every linked indicator of this employee and service type in the periods that
    contain ``day`` and are not closed; return how many realisations were refreshed."""
    indicators = list(
        Indicator.select()
        .join(Rhk)
        .join(Skp)
        .where(
            (Skp.employee == employee_id)
            & (Skp.year == day.year)
            & (Indicator.linked_service_type_id == service_type_id)
            & Indicator.linked_figure.is_null(False)
        )
    )
    if not indicators:
        return 0
    count = 0
    for period in _current_periods(day.year, day):
        for indicator in indicators:
            if refresh_linked_realisation(indicator, period) is not None:
                count += 1
    return count


def link_indicator(
    actor: Actor, indicator: Indicator, service_type_id: int | None, figure: str | None
) -> Indicator:
    """Link (or unlink, with None) a draft SKP's indicator to a service type and figure."""
    if not can_link_indicator(actor, indicator):
        raise NotAllowed("Hanya pemilik SKP berstatus draf yang dapat menautkan indikator.")
    if service_type_id is None:
        figure = None
    else:
        allowed = {t.id for t in linkable_service_types(actor.employee)}
        if service_type_id not in allowed:
            raise ServiceError("Pilih jenis layanan dari unit tempat Anda bekerja.")
        try:
            figure = LinkedFigure(figure).value
        except ValueError:
            raise ServiceError("Pilih angka layanan yang dipakai sebagai realisasi.") from None
        wanted = FIGURE_DIRECTION[LinkedFigure(figure)]
        current = Indicator.get_by_id(indicator.id).direction
        if current != wanted:
            raise ServiceError(
                f"Angka “{LinkedFigure(figure).label}” berarah “{wanted.label}”, sedangkan "
                f"arah indikator ini “{Direction(current).label}”. Pilih angka "
                "lain, atau ubah arah indikator lebih dahulu."
            )
    with write_tx():
        fresh = Indicator.get_by_id(indicator.id)
        before = {
            "linked_service_type_id": fresh.linked_service_type_id,
            "linked_figure": fresh.linked_figure,
        }
        fresh.linked_service_type_id = service_type_id
        fresh.linked_figure = figure
        fresh.save()
        if service_type_id is None:
            (
                Realisation.update(automatic=False, auto_detail="")
                .where(Realisation.indicator == fresh.id)
                .execute()
            )
        audit.record(
            "service.indicator_linked" if service_type_id else "service.indicator_unlinked",
            actor=actor.account,
            object_type="indicator",
            object_id=fresh.id,
            before=before,
            after={"linked_service_type_id": service_type_id, "linked_figure": figure},
        )
        if service_type_id is not None:
            for period in _current_periods(skp_of(fresh).year):
                refresh_linked_realisation(fresh, period)
    return fresh


def save_linked_note(
    actor: Actor,
    indicator: Indicator,
    period: Period,
    narrative: str,
    evidence_link: str = "",
    evidence_note: str = "",
) -> Realisation:
    """The owner's note beside an automatic realisation; the figure itself is not theirs
    to change."""
    if not can_note_linked_indicator(actor, indicator):
        raise NotAllowed("Hanya pemilik SKP yang dapat menambah catatan realisasi.")
    if period.status == PeriodStatus.DITUTUP:
        raise ServiceError("Periode ini sudah ditutup.")
    link = (evidence_link or "").strip()
    if link and not re.match(r"^https?://\S+$", link):
        raise ServiceError("Tautan bukti harus diawali http:// atau https://.")
    if len(link) > 500:
        raise ServiceError("Tautan bukti paling banyak 500 karakter.")
    with write_tx():
        row = refresh_linked_realisation(indicator, period)
        if row is None:
            raise ServiceError("Indikator ini tidak tertaut ke data layanan.")
        before = {
            "narrative": row.narrative,
            "evidence_link": row.evidence_link,
            "evidence_note": row.evidence_note,
        }
        row.narrative = (narrative or "").strip()[:4000]
        row.evidence_link = link
        row.evidence_note = (evidence_note or "").strip()[:4000]
        row.updated_at = utcnow()
        row.save()
        audit.record(
            "service.realisation_noted",
            actor=actor.account,
            object_type="realisation",
            object_id=row.id,
            before=before,
            after={
                "narrative": row.narrative,
                "evidence_link": row.evidence_link,
                "evidence_note": row.evidence_note,
            },
        )
    return row
