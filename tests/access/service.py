"""Access table: the counter log, service figures, linked indicators, catalogue admin."""

from datetime import date

from kinerja.models.service import CityDayOff, ImportBatch
from tests.access import INTERNAL, LOGGED_IN, both, get, post
from tests.builders_service import (
    make_indicator,
    make_period,
    make_request,
    make_service_type,
    wib,
)

STAFF = {"pegawai", "supervisor", "atasan"}
CHAIN_AND_INTERNAL = {"supervisor", "atasan", "admin", "auditor"}
OWNER_CHAIN_INTERNAL = {"pegawai", "supervisor", "atasan", "admin", "auditor"}


def setup(world):
    """A service on the bidang (pegawai, supervisor and atasan are its staff), one open
    request, a draft SKP indicator of the pegawai, a period, a day off, an import batch."""
    ktp = make_service_type(world.units["bidang"], "Penerbitan KTP-el", value=1)
    request = make_request(ktp, wib(2026, 11, 2, 9))
    # a year of its own: the SKP area uses 2030-2031, the evaluation area 2026
    year = 2029
    period = make_period(year=year, start=date(year, 10, 1), end=date(year, 12, 31))
    indicator = make_indicator(world.people["pegawai"], year=year)
    indicator.linked_service_type_id = ktp.id
    indicator.linked_figure = "ON_TIME_RATE"
    indicator.save()
    day_off = CityDayOff.create(date=date(2026, 8, 18), name="Hari libur uji")
    batch = ImportBatch.create(
        unit=world.units["bidang"], filename="uji.csv", content="nomor,layanan\n"
    )
    world.objects.update(
        service_type=ktp,
        service_request=request,
        service_period=period,
        service_indicator=indicator,
        day_off=day_off,
        import_batch=batch,
    )


def _o(key):
    return lambda w: w.objects[key].id


def _url(template, **keys):
    return lambda w: template.format(**{k: w.objects[v].id for k, v in keys.items()})


BIDANG = lambda w: w.units["bidang"].id  # noqa: E731

ROUTES = {
    "staff.counter": get(LOGGED_IN, "/loket"),
    "staff.counter_open": get(STAFF, lambda w: f"/loket/{BIDANG(w)}/terbuka"),
    "staff.counter_register": post(STAFF, lambda w: f"/loket/{BIDANG(w)}/daftar"),
    "staff.counter_complete": post(
        STAFF, _url("/loket/permohonan/{r}/selesai", r="service_request")
    ),
    "staff.counter_receipt": post(
        STAFF, _url("/loket/permohonan/{r}/tanda-terima", r="service_request")
    ),
    "staff.service_my_figures": get(LOGGED_IN, "/kinerja-layanan"),
    "staff.service_employee_figures": get(
        CHAIN_AND_INTERNAL, lambda w: f"/kinerja-layanan/pegawai/{w.people['peer'].id}"
    ),
    "staff.service_unit_figures": get(
        CHAIN_AND_INTERNAL, lambda w: f"/kinerja-layanan/unit/{BIDANG(w)}"
    ),
    "staff.service_link_indicator": both(
        {"pegawai"},
        {"pegawai"},
        _url("/skp/indikator/{i}/tautan-layanan", i="service_indicator"),
    ),
    "staff.service_linked_indicator": get(
        OWNER_CHAIN_INTERNAL, _url("/indikator/{i}/realisasi-otomatis", i="service_indicator")
    ),
    "staff.service_linked_note": post(
        {"pegawai"},
        _url(
            "/indikator/{i}/realisasi-otomatis/{p}/catatan",
            i="service_indicator",
            p="service_period",
        ),
    ),
    "admin.service_index": get(INTERNAL, "/admin/layanan"),
    "admin.service_create": both(INTERNAL, {"admin"}, "/admin/layanan/baru"),
    "admin.service_edit": both(
        INTERNAL, {"admin"}, _url("/admin/layanan/{t}/ubah", t="service_type")
    ),
    "admin.service_deactivate": post(
        {"admin"}, _url("/admin/layanan/{t}/nonaktifkan", t="service_type")
    ),
    "admin.service_activate": post(
        {"admin"}, _url("/admin/layanan/{t}/aktifkan", t="service_type")
    ),
    "admin.service_import": both(INTERNAL, {"admin"}, "/admin/layanan/impor"),
    "admin.service_import_batch": get(INTERNAL, _url("/admin/layanan/impor/{b}", b="import_batch")),
    "admin.service_import_confirm": post(
        {"admin"}, _url("/admin/layanan/impor/{b}/impor", b="import_batch")
    ),
    "admin.service_days_off": both(INTERNAL, {"admin"}, "/admin/layanan/libur"),
    "admin.service_day_off_delete": post(
        {"admin"}, _url("/admin/layanan/libur/{d}/hapus", d="day_off")
    ),
}
