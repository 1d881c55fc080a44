"""Access table: the BKPSDM admin console (admins change; auditors read, every POST 403)."""

from kinerja.models.account import Account
from kinerja.models.admin import ImportJob
from kinerja.models.org import ActingOfficial
from kinerja.models.period import Period
from tests.access import INTERNAL, both, get, post

ADMIN = {"admin"}


def setup(world):
    """A period, an acting appointment and an import job for the URLs below."""
    from datetime import date

    period = Period.create(
        year=2031,
        kind="TRIWULAN",
        number=1,
        name="Triwulan I 2031",
        start=date(2031, 1, 1),
        end=date(2031, 3, 31),
    )
    acting = ActingOfficial.create(
        acting=world.people["peer"],
        for_employee=world.people["supervisor"],
        kind="PLH",
        start=date(2031, 1, 1),
        end=date(2031, 1, 31),
    )
    job = ImportJob.create(content=b"nip;nama\n", filename="kosong.csv", status="GAGAL")
    world.objects.update(admin_period=period, admin_acting=acting, admin_job=job)
    _official_objections(world)


def _official_objections(world):
    """The kabid's keberatan (his supervisor, the kepala dinas, tops the roster: the Wali Kota
    decides) waiting, and the kepala dinas's keberatan with the Wali Kota's letter recorded."""
    from datetime import timedelta

    from kinerja.clock import today_wib, utcnow
    from kinerja.models.evaluation import Objection, ObjectionOfficialDecision
    from tests.builders_evaluation import make_evaluation, make_period

    period = make_period(year=2025, number=4)
    rated = {
        "hasil_rating": "SESUAI_EKSPEKTASI",
        "perilaku_rating": "SESUAI_EKSPEKTASI",
        "predikat": "BAIK",
        "objection_deadline": today_wib() + timedelta(days=10),
    }
    waiting = Objection.create(
        evaluation=make_evaluation(world.people["atasan"], period, status="KEBERATAN", **rated),
        reasons="Mohon ditinjau",
    )
    decided = Objection.create(
        evaluation=make_evaluation(world.people["kadis"], period, status="DIPUTUS", **rated),
        reasons="Mohon ditinjau",
        decision="CONFIRM",
        decided_at=utcnow(),
        decision_reason="Tetap",
    )
    ObjectionOfficialDecision.create(
        objection=decided,
        official="Wali Kota Sibolga",
        letter_number="800/1/2026",
        letter_date=today_wib(),
        filename="putusan.pdf",
        content_type="application/pdf",
        content=b"%PDF-1.4\n%%EOF\n",
    )
    world.objects.update(official_waiting=waiting, official_decided=decided)


def _unit(w):
    return w.units["seksi"].id


def _employee(w):
    return w.people["pegawai"].id


def _account(w):
    return Account.get(Account.employee == w.people["peer"]).id


ROUTES = {
    "admin.dashboard": get(INTERNAL, "/admin/"),
    "admin.units": get(INTERNAL, "/admin/unit"),
    "admin.unit_create": post(ADMIN, "/admin/unit", data={"code": "X", "name": "Uji"}),
    "admin.unit_detail": get(INTERNAL, lambda w: f"/admin/unit/{_unit(w)}"),
    "admin.unit_update": post(ADMIN, lambda w: f"/admin/unit/{_unit(w)}/ubah"),
    "admin.unit_move": post(ADMIN, lambda w: f"/admin/unit/{_unit(w)}/pindah"),
    "admin.unit_active": post(ADMIN, lambda w: f"/admin/unit/{_unit(w)}/status"),
    "admin.employees": get(INTERNAL, "/admin/pegawai?q=%25_"),
    "admin.employee_detail": get(INTERNAL, lambda w: f"/admin/pegawai/{_employee(w)}"),
    "admin.employee_update": post(ADMIN, lambda w: f"/admin/pegawai/{_employee(w)}/ubah"),
    "admin.employee_supervisor": post(ADMIN, lambda w: f"/admin/pegawai/{_employee(w)}/atasan"),
    "admin.employee_active": post(
        ADMIN, lambda w: f"/admin/pegawai/{_employee(w)}/status", data={"aktif": "1"}
    ),
    "admin.acting_add": post(ADMIN, lambda w: f"/admin/pegawai/{_employee(w)}/plt"),
    "admin.acting_end": post(ADMIN, lambda w: f"/admin/plt/{w.objects['admin_acting'].id}/akhiri"),
    "admin.roster": get(INTERNAL, "/admin/impor"),
    "admin.roster_upload": post(ADMIN, "/admin/impor"),
    "admin.roster_job": get(INTERNAL, lambda w: f"/admin/impor/{w.objects['admin_job'].id}"),
    "admin.roster_apply": post(
        ADMIN, lambda w: f"/admin/impor/{w.objects['admin_job'].id}/terapkan"
    ),
    "admin.roster_retry": post(ADMIN, lambda w: f"/admin/impor/{w.objects['admin_job'].id}/ulangi"),
    "admin.roster_template": get(INTERNAL, "/admin/impor/templat.csv"),
    "admin.accounts": get(INTERNAL, "/admin/akun"),
    "admin.accounts_create": post(ADMIN, "/admin/akun/buat", data={"format": "slip"}),
    "admin.account_reset": post(ADMIN, lambda w: f"/admin/akun/{_account(w)}/reset"),
    "admin.account_unlock": post(ADMIN, lambda w: f"/admin/akun/{_account(w)}/buka-kunci"),
    "admin.account_role": post(
        ADMIN, lambda w: f"/admin/akun/{_account(w)}/peran", data={"peran": "AUDITOR"}
    ),
    "admin.settings_page": both(INTERNAL, ADMIN, "/admin/pengaturan"),
    "admin.periods": get(INTERNAL, "/admin/periode"),
    "admin.period_year_create": post(ADMIN, "/admin/periode/tahun", data={"year": "2040"}),
    "admin.period_open": both(
        INTERNAL, ADMIN, lambda w: f"/admin/periode/{w.objects['admin_period'].id}/buka"
    ),
    "admin.period_close": both(
        INTERNAL, ADMIN, lambda w: f"/admin/periode/{w.objects['admin_period'].id}/tutup"
    ),
    "admin.exports_page": get(INTERNAL, "/admin/ekspor"),
    "admin.export_download": get(INTERNAL, "/admin/ekspor/skp.csv?tahun=2031"),
    "admin.audit_log": get(INTERNAL, "/admin/audit?orang=%25&aksi=_"),
    "admin.audit_csv": get(INTERNAL, "/admin/audit.csv"),
    "admin.objections": get(INTERNAL, "/admin/keberatan"),
    "admin.objection_record": both(
        INTERNAL,
        ADMIN,
        lambda w: f"/admin/keberatan/{w.objects['official_waiting'].id}",
        data={"decision": "CONFIRM"},
        note="The admin's POST without a letter is refused with 422, not 403.",
    ),
    "admin.objection_letter": get(
        INTERNAL, lambda w: f"/admin/keberatan/{w.objects['official_decided'].id}/surat.pdf"
    ),
}
