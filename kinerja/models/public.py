"""Published snapshots of the public transparency pages (docs/spec/product.md §6).

A public request reads only these tables: one snapshot row per period, and rows that hold
figures which have already passed disclosure control (kinerja.anonymise) when the snapshot
was built by kinerja.services.publish. No raw answer, name, NIP or comment is stored here:
a figure that may not be shown is stored as a status code with its value left empty.
"""

import json

from peewee import BooleanField, CharField, DecimalField, ForeignKeyField, IntegerField, TextField

from kinerja.clock import utcnow
from kinerja.db import BaseModel, DateField, DateTimeField
from kinerja.enums import LabelledEnum
from kinerja.models.period import Period


class SnapshotStatus(LabelledEnum):
    """Lifecycle of a snapshot (a rebuild replaces the period's snapshot in one transaction)."""

    PUBLISHED = "PUBLISHED", "Diterbitkan"


class FigureStatus(LabelledEnum):
    """Why a public figure is or is not shown (PublishStatus plus the roll-up case)."""

    OK = "OK", "Ditampilkan"
    WITHHELD = "WITHHELD", "Data ditahan"
    NO_DATA = "NO_DATA", "Belum ada data"
    ROLLED = "ROLLED", "Digabung ke unit induk"
    SUPPRESSED = "SUPPRESSED", "Ditahan agar angka yang ditahan tidak dapat dihitung"


class CityScope(LabelledEnum):
    """Which answers the city IKM covers (issue 22): all, or only the shown units'."""

    ALL = "ALL", "Semua jawaban"
    SHOWN = "SHOWN", "Jawaban unit yang ditampilkan"


NRR_PLACES = 2  # published precision of an unsur's NRR (no finer than the pages show)


def _decimal(places: int = 2, digits: int = 8):
    return DecimalField(max_digits=digits, decimal_places=places, null=True, auto_round=True)


class PublicSnapshot(BaseModel):
    """The published public figures of one period: when, by whom, with which method."""

    period = ForeignKeyField(Period, unique=True, backref="+", on_delete="CASCADE")
    period_name = CharField(max_length=60)
    period_start = DateField()
    period_end = DateField()
    built_at = DateTimeField(default=utcnow, index=True)
    method_version = CharField(max_length=20)
    thresholds = TextField(default="{}")  # JSON of the Thresholds used
    built_by = CharField(max_length=120, default="sistem")
    status = CharField(max_length=12, choices=SnapshotStatus.choices(), default="PUBLISHED")
    predikat_period_name = CharField(max_length=60, default="")
    # Internal, never shown: per published figure its counts and values (issue 19), so a
    # rebuild that would change a figure by fewer than public_min_n answers is refused.
    basis = TextField(default="{}")
    # The city IKM (issue 22), computed at publication over every answer of the period from
    # both channels (kiosk and phone), or only over the shown units' answers when the rest
    # would cover 1..public_min_n-1 (``city_scope``); ``city_units``: OPD and kecamatan
    # whose IKM is shown. The channel counts are respondents, never a per-channel IKM.
    city_ikm_status = CharField(max_length=10, choices=FigureStatus.choices(), default="NO_DATA")
    city_ikm_n = IntegerField(null=True)
    city_ikm_konversi = _decimal()
    city_mutu = CharField(max_length=1, default="")
    city_scope = CharField(max_length=8, choices=CityScope.choices(), default="")
    city_units = IntegerField(null=True)
    city_kiosk_n = IntegerField(null=True)
    city_phone_n = IntegerField(null=True)

    @property
    def threshold_values(self) -> dict:
        """The thresholds used, as a dict."""
        try:
            return json.loads(self.thresholds or "{}")
        except ValueError:
            return {}


class PublicUnitFigure(BaseModel):
    """One unit on the public pages for one snapshot: IKM, sample, quick index, service.

    ``*_group`` is the code of the unit whose published figure covers this unit (itself,
    or the parent it was rolled into); values are only filled on the group's own row.
    """

    snapshot = ForeignKeyField(PublicSnapshot, backref="units", on_delete="CASCADE")
    code = CharField(max_length=40)
    name = CharField(max_length=200)
    short_name = CharField(max_length=80, default="")
    kind = CharField(max_length=20)
    parent_code = CharField(max_length=40, default="")
    opd_code = CharField(max_length=40, default="")
    opd_name = CharField(max_length=200, default="")
    serves_public = BooleanField(default=False)
    position = IntegerField(default=0)
    # Indeks Kepuasan Masyarakat
    ikm_status = CharField(max_length=10, choices=FigureStatus.choices())
    ikm_group = CharField(max_length=40, default="")
    ikm_covers = TextField(default="[]")  # JSON list of unit names the figure covers
    ikm_n = IntegerField(null=True)
    ikm_konversi = _decimal()
    ikm_interval = _decimal(4)
    mutu = CharField(max_length=1, default="")
    # Respondents of the IKM per channel (issue 22); empty when the IKM's n is not shown.
    kiosk_n = IntegerField(null=True)
    phone_n = IntegerField(null=True)
    nrr_u1 = _decimal(NRR_PLACES)
    nrr_u2 = _decimal(NRR_PLACES)
    nrr_u3 = _decimal(NRR_PLACES)
    nrr_u4 = _decimal(NRR_PLACES)
    nrr_u5 = _decimal(NRR_PLACES)
    nrr_u6 = _decimal(NRR_PLACES)
    nrr_u7 = _decimal(NRR_PLACES)
    nrr_u8 = _decimal(NRR_PLACES)
    nrr_u9 = _decimal(NRR_PLACES)
    population_status = CharField(max_length=10, choices=FigureStatus.choices(), default="NO_DATA")
    population = IntegerField(null=True)  # service users N (requests received in the period)
    sample_size = IntegerField(null=True)  # Krejcie–Morgan S
    sample_reached = BooleanField(null=True)
    quick_status = CharField(max_length=10, choices=FigureStatus.choices(), default="NO_DATA")
    quick_n = IntegerField(null=True)
    quick_index = _decimal()
    # Service standards (over completed requests)
    svc_status = CharField(max_length=10, choices=FigureStatus.choices(), default="NO_DATA")
    svc_group = CharField(max_length=40, default="")
    svc_covers = TextField(default="[]")
    svc_n = IntegerField(null=True)
    on_time_rate = _decimal()
    median = IntegerField(null=True)
    p90 = IntegerField(null=True)
    duration_unit = CharField(max_length=12, default="")
    rework_rate = _decimal()
    # Predikat distribution of the last closed period
    predikat_status = CharField(max_length=10, choices=FigureStatus.choices(), default="NO_DATA")
    predikat_group = CharField(max_length=40, default="")
    predikat_covers = TextField(default="[]")
    predikat_total = IntegerField(null=True)
    sangat_baik = IntegerField(null=True)  # None = hidden (≤ 4) or withheld
    baik = IntegerField(null=True)
    butuh_perbaikan = IntegerField(null=True)
    kurang = IntegerField(null=True)
    sangat_kurang = IntegerField(null=True)
    predikat_hidden = TextField(default="{}")  # JSON {predikat: "SMALL" (1–4) | "EXTRA"}

    class Meta:
        indexes = ((("snapshot", "code"), True),)


class PublicServiceTypeFigure(BaseModel):
    """Service-standard figures of one jenis layanan within a unit's published group."""

    snapshot = ForeignKeyField(PublicSnapshot, backref="service_types", on_delete="CASCADE")
    unit_code = CharField(max_length=40)
    position = IntegerField(default=0)
    name = CharField(max_length=160)
    standard_label = CharField(max_length=40)
    status = CharField(max_length=10, choices=FigureStatus.choices())
    n = IntegerField(null=True)
    on_time_rate = _decimal()
    median = IntegerField(null=True)
    p90 = IntegerField(null=True)
    duration_unit = CharField(max_length=12, default="")
    rework_rate = _decimal()

    class Meta:
        indexes = ((("snapshot", "unit_code", "position"), False),)


class PublicTrendPoint(BaseModel):
    """The IKM of one month of the 12 months up to the period end, for a unit's group."""

    snapshot = ForeignKeyField(PublicSnapshot, backref="trend", on_delete="CASCADE")
    unit_code = CharField(max_length=40)
    month = DateField()  # first day of the month
    in_period = BooleanField(default=False)
    status = CharField(max_length=10, choices=FigureStatus.choices())
    n = IntegerField(null=True)
    ikm_konversi = _decimal()
    mutu = CharField(max_length=1, default="")

    class Meta:
        indexes = ((("snapshot", "unit_code", "month"), True),)


class PublicProcessFigure(BaseModel):
    """Figures that show the appraisal itself runs, per OPD, for the snapshot's period."""

    snapshot = ForeignKeyField(PublicSnapshot, backref="process", on_delete="CASCADE")
    opd_code = CharField(max_length=40)
    opd_name = CharField(max_length=200)
    position = IntegerField(default=0)
    skp_status = CharField(max_length=10, choices=FigureStatus.choices())
    skp_n = IntegerField(null=True)
    skp_on_time_rate = _decimal()
    eval_status = CharField(max_length=10, choices=FigureStatus.choices())
    eval_n = IntegerField(null=True)
    eval_final_rate = _decimal()
    objections_status = CharField(max_length=10, choices=FigureStatus.choices())
    objections_filed = IntegerField(null=True)  # None = hidden (1–4) or withheld
    objections_decided = IntegerField(null=True)

    class Meta:
        indexes = ((("snapshot", "opd_code"), True),)


PUBLIC_MODELS = [
    PublicSnapshot,
    PublicUnitFigure,
    PublicServiceTypeFigure,
    PublicTrendPoint,
    PublicProcessFigure,
]
