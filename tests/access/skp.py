"""Access table: SKP pages of the pegawai (staff) and the Pejabat Penilai (supervisor).

The pegawai owns the SKP; the supervisor (kasi) approves; the atasan (kabid) reads;
admins and auditors read; nobody else.
"""

import json

from kinerja.clock import today_wib
from kinerja.models.skp import SkpRevision
from kinerja.services.skp import snapshot
from tests.access import INTERNAL, LOGGED_IN, both, get, post
from tests.builders_skp import first_indicator, first_rhk, make_note, make_skp, make_year

YEAR = 2030  # away from the years other areas' setups use
READERS = frozenset({"pegawai", "supervisor", "atasan"}) | INTERNAL
OWNER = {"pegawai"}
SUPERVISOR = {"supervisor"}


def setup(world):
    """Year 2030 with Triwulan I open; approved SKPs (kasi, pegawai), a draft for next year,
    the peer's submitted SKP and a feedback note."""
    year = YEAR
    periods = make_year(year)
    p = world.people
    boss = make_skp(p["supervisor"], year=year, status="DISETUJUI")
    approved = make_skp(
        p["pegawai"], year=year, status="DISETUJUI", parent=first_rhk(boss), version=2
    )
    SkpRevision.create(skp=approved, version=1, snapshot=json.dumps(snapshot(approved)))
    draft = make_skp(
        p["pegawai"],
        year=year + 1,
        rhks=(
            ("UTAMA", "RHK untuk diubah", (("Indikator diubah", "10", "dokumen"),)),
            ("TAMBAHAN", "RHK untuk dihapus", (("Indikator dihapus", "5", "laporan"),)),
        ),
    )
    rhks = sorted(draft.rhks, key=lambda r: r.kind)  # TAMBAHAN < UTAMA
    submitted = make_skp(p["peer"], year=year, status="DIAJUKAN")
    note = make_note(p["pegawai"], p["supervisor"])
    world.objects.update(
        period=periods[1],
        approved=approved,
        draft=draft,
        keep_rhk=rhks[1],
        drop_rhk=rhks[0],
        keep_ind=first_indicator(draft),
        drop_ind=rhks[0].indicators.get(),
        submitted=submitted,
        note=note,
        approved_ind=first_indicator(approved),
    )


def _o(w, key):
    return w.objects[key]


ROUTES = {
    "staff.skp_index": get(LOGGED_IN, "/skp"),
    "staff.skp_start": post(LOGGED_IN, "/skp/mulai", data={"approach": "KUANTITATIF"}),
    "staff.skp_detail": get(READERS, lambda w: f"/skp/{_o(w, 'draft').id}"),
    "staff.skp_approach": post(
        OWNER, lambda w: f"/skp/{_o(w, 'draft').id}/pendekatan", data={"approach": "KUALITATIF"}
    ),
    "staff.rhk_add": post(
        OWNER,
        lambda w: f"/skp/{_o(w, 'draft').id}/rhk",
        data={"group": "UTAMA", "newutama-text": "RHK baru", "newutama-kind": "UTAMA"},
    ),
    "staff.rhk_edit": both(
        OWNER,
        OWNER,
        lambda w: f"/skp/rhk/{_o(w, 'keep_rhk').id}/ubah",
        data={"r0-text": "x"},
    ),
    "staff.rhk_delete": post(OWNER, lambda w: f"/skp/rhk/{_o(w, 'drop_rhk').id}/hapus"),
    "staff.rhk_move": post(
        OWNER, lambda w: f"/skp/rhk/{_o(w, 'keep_rhk').id}/pindah", data={"direction": "up"}
    ),
    "staff.indicator_add": post(
        OWNER,
        lambda w: f"/skp/rhk/{_o(w, 'keep_rhk').id}/indikator",
        data={"text": "x"},
    ),
    "staff.indicator_edit": both(
        OWNER, OWNER, lambda w: f"/skp/indikator/{_o(w, 'keep_ind').id}/ubah"
    ),
    "staff.indicator_delete": post(OWNER, lambda w: f"/skp/indikator/{_o(w, 'drop_ind').id}/hapus"),
    "staff.skp_field_check": get(LOGGED_IN, "/skp/periksa?check=target_value&t=0"),
    "staff.skp_submit": post(OWNER, lambda w: f"/skp/{_o(w, 'draft').id}/ajukan"),
    "staff.skp_revise": post(
        OWNER, lambda w: f"/skp/{_o(w, 'approved').id}/revisi", data={"reason": "Perubahan"}
    ),
    "staff.skp_version": get(READERS, lambda w: f"/skp/{_o(w, 'approved').id}/versi/1"),
    "staff.skp_print": get(READERS, lambda w: f"/skp/{_o(w, 'approved').id}/cetak"),
    "staff.realisation": get(
        READERS, lambda w: f"/skp/{_o(w, 'approved').id}/realisasi/{_o(w, 'period').id}"
    ),
    "staff.realisation_save": post(
        OWNER,
        lambda w: (
            f"/skp/{_o(w, 'approved').id}/realisasi/{_o(w, 'period').id}/{_o(w, 'approved_ind').id}"
        ),
        data={"value": "5"},
    ),
    "staff.skp_feedback": get(LOGGED_IN, "/skp/umpan-balik"),
    "staff.feedback_reply": post(
        {"pegawai", "supervisor"},
        lambda w: f"/skp/umpan-balik/{_o(w, 'note').id}/balas",
        data={"text": "Terima kasih"},
    ),
    "supervisor.team": get({"supervisor", "atasan"}, "/atasan/tim"),
    "supervisor.skp_queue": get({"supervisor", "atasan"}, "/atasan/skp"),
    "supervisor.skp_review": get(SUPERVISOR, lambda w: f"/atasan/skp/{_o(w, 'approved').id}"),
    "supervisor.skp_approve": post(
        SUPERVISOR, lambda w: f"/atasan/skp/{_o(w, 'submitted').id}/setujui"
    ),
    "supervisor.skp_return": post(
        SUPERVISOR,
        lambda w: f"/atasan/skp/{_o(w, 'submitted').id}/kembalikan",
        data={"note": "Perbaiki target"},
    ),
    "supervisor.skp_expectations": post(
        SUPERVISOR,
        lambda w: f"/atasan/skp/{_o(w, 'approved').id}/ekspektasi",
        data={"AKUNTABEL": "Tepat waktu"},
    ),
    "supervisor.realisation_feedback": post(
        SUPERVISOR,
        lambda w: (
            f"/atasan/skp/{_o(w, 'approved').id}/realisasi/{_o(w, 'period').id}"
            f"/{_o(w, 'approved_ind').id}"
        ),
        data={"feedback": "Bagus"},
    ),
    "supervisor.feedback_log": both(
        {"supervisor", "atasan"} | INTERNAL,
        SUPERVISOR,
        lambda w: f"/atasan/pegawai/{w.people['pegawai'].id}/umpan-balik",
        data={"day": today_wib().isoformat(), "kind": "PUJIAN", "text": "Bagus"},
    ),
}
