"""SKP pages: the "Done when" walk-through, htmx fragments, inline validation, errors."""

import re
from datetime import timedelta

import pytest

from kinerja.clock import today_wib
from kinerja.models.audit import AuditEvent
from kinerja.models.skp import Indicator, Realisation, Rhk, Skp
from tests.builders_skp import first_rhk, make_skp, make_year
from tests.html import check_page, find_all, texts

YEAR = today_wib().year
HX = {"HX-Request": "true"}


def _login(app, account):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    return client


def _ok(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return check_page(response.get_data(as_text=True))


def test_done_when_walk_through(app, world):
    """Draft and submit (2 RHK, 3 IKI); return with note; fix, resubmit; approve;
    realisation for Triwulan I with evidence; feedback; both print."""
    periods = make_year(YEAR, open_numbers=(1,))
    boss = make_skp(world.people["supervisor"], year=YEAR, status="DISETUJUI")
    pegawai = _login(app, world.accounts["pegawai"])
    kasi = _login(app, world.accounts["supervisor"])

    tree = _ok(pegawai.get("/skp"))
    assert f"SKP tahun {YEAR}" in texts(tree, "h2")
    r = pegawai.post("/skp/mulai", data={"year": YEAR, "approach": "KUANTITATIF"})
    assert r.status_code == 303
    skp = Skp.get(Skp.employee == world.people["pegawai"].id)
    tree = _ok(pegawai.get(f"/skp/{skp.id}"))
    options = [o.get("value") for o in find_all(tree, "option") if o.get("value")]
    assert str(first_rhk(boss).id) in options  # the supervisor's approved RHK can be chosen

    for text in ("Terlayaninya penerbitan KTP-el", "Tertibnya arsip kependudukan"):
        r = pegawai.post(
            f"/skp/{skp.id}/rhk",
            data={
                "group": "UTAMA",
                "newutama-text": text,
                "newutama-kind": "UTAMA",
                "newutama-parent_rhk": str(first_rhk(boss).id),
            },
        )
        assert r.status_code == 303
    rhk1, rhk2 = list(Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.position))
    assert rhk1.parent_rhk_id == first_rhk(boss).id
    for rhk, text, target, unit in (
        (rhk1, "Jumlah KTP-el dicetak", "450", "keping"),
        (rhk1, "KTP-el selesai di hari yang sama", "90", "%"),
        (rhk2, "Laporan arsip", "3", "laporan"),
    ):
        p = f"i{rhk.id}-"
        r = pegawai.post(
            f"/skp/rhk/{rhk.id}/indikator",
            data={
                p + "text": text,
                p + "aspek": "KUANTITAS",
                p + "target_value": target,
                p + "target_unit": unit,
                p + "direction": "HIGHER_BETTER",
            },
        )
        assert r.status_code == 303, r.get_data(as_text=True)[:500]
    assert pegawai.post(f"/skp/{skp.id}/ajukan").status_code == 303
    assert Skp.get_by_id(skp.id).status == "DIAJUKAN"

    tree = _ok(kasi.get("/atasan/skp"))
    assert "Pegawai Uji" in texts(tree, "th")
    tree = _ok(kasi.get(f"/atasan/skp/{skp.id}"))
    side = find_all(tree, "table", class_="side-by-side")[0]
    assert first_rhk(boss).text in "".join(side.itertext())
    assert "Terlayaninya penerbitan KTP-el" in "".join(side.itertext())
    r = kasi.post(
        f"/atasan/skp/{skp.id}/kembalikan", data={"note": "Naikkan target KTP-el."}, headers=HX
    )
    assert r.status_code == 200 and "<html" not in r.get_data(as_text=True)
    assert Skp.get_by_id(skp.id).status == "DIKEMBALIKAN"

    tree = _ok(pegawai.get(f"/skp/{skp.id}"))
    assert "Naikkan target KTP-el." in "".join(tree.itertext())
    ind = Indicator.get(Indicator.text == "Jumlah KTP-el dicetak")
    p = f"e{ind.id}-"
    r = pegawai.post(
        f"/skp/indikator/{ind.id}/ubah",
        data={
            p + "text": ind.text,
            p + "aspek": "KUANTITAS",
            p + "target_value": "500",
            p + "target_unit": "keping",
            p + "direction": "HIGHER_BETTER",
        },
        headers=HX,
    )
    assert r.status_code == 200 and 'id="skp-plan"' in r.get_data(as_text=True)
    assert pegawai.post(f"/skp/{skp.id}/ajukan").status_code == 303
    r = kasi.post(f"/atasan/skp/{skp.id}/setujui", data={"confirm": "1"})
    assert r.status_code == 303
    assert Skp.get_by_id(skp.id).status == "DISETUJUI"

    q1 = periods[1]
    tree = _ok(pegawai.get(f"/skp/{skp.id}/realisasi/{q1.id}"))
    r = pegawai.post(
        f"/skp/{skp.id}/realisasi/{q1.id}/{ind.id}",
        data={
            f"x{ind.id}-value": "550",
            f"x{ind.id}-evidence_link": "https://arsip.example.go.id/ktp",
            f"x{ind.id}-evidence_note": "Register cetak KTP-el",
        },
    )
    assert r.status_code == 303
    tree = _ok(pegawai.get(f"/skp/{skp.id}/realisasi/{q1.id}"))
    capaian = [
        el for el in find_all(tree, "dd", class_="capaian") if "110,00 %" in "".join(el.itertext())
    ]
    assert capaian, "capaian 550/500 = 110,00 % is shown next to the realisation"
    # issue 18: the page says how the capaian is computed for this indicator's arah
    assert "Capaian = realisasi ÷ target × 100 % (semakin tinggi semakin baik)" in " ".join(
        "".join(capaian[0].itertext()).split()
    )

    r = kasi.post(
        f"/atasan/skp/{skp.id}/realisasi/{q1.id}/{ind.id}",
        data={f"f{ind.id}-feedback": "Capaian baik, pertahankan."},
    )
    assert r.status_code == 303
    assert (
        Realisation.get(Realisation.indicator == ind.id).supervisor_feedback
        == "Capaian baik, pertahankan."
    )
    r = kasi.post(
        f"/atasan/pegawai/{world.people['pegawai'].id}/umpan-balik",
        data={
            "day": today_wib().isoformat(),
            "kind": "PUJIAN",
            "text": "Antrean pagi rapi.",
            "is_dialog": "y",
        },
    )
    assert r.status_code == 303
    tree = _ok(pegawai.get("/skp/umpan-balik"))
    assert "Antrean pagi rapi." in "".join(tree.itertext())

    for client in (pegawai, kasi):
        tree = _ok(client.get(f"/skp/{skp.id}/cetak"))
        body = "".join(tree.itertext())
        assert "SASARAN KINERJA PEGAWAI" in body and "Kasi Uji" in body and "Pegawai Uji" in body
        assert "(DRAF)" not in body
        assert "Rencana Hasil Kerja Pimpinan yang Diintervensi" in texts(tree, "th")
    actions = {e.action for e in AuditEvent.select()}
    assert {
        "skp.submitted",
        "skp.returned",
        "skp.approved",
        "skp.realisation_saved",
        "skp.realisation_feedback",
        "feedback.note_added",
    } <= actions


@pytest.fixture
def draft(world):
    return make_skp(world.people["pegawai"], year=YEAR)


@pytest.mark.parametrize(
    "target, message",
    [
        ("0", "Target harus lebih besar dari nol."),
        ("-3", "Target harus berupa angka"),
        ("banyak", "Target harus berupa angka"),
        ("1" * 40, "Target terlalu besar."),
    ],
)
def test_invalid_target_gives_indonesian_field_error(app, world, draft, target, message):
    client = _login(app, world.accounts["pegawai"])
    rhk = first_rhk(draft)
    p = f"i{rhk.id}-"
    for headers in ({}, HX):
        r = client.post(
            f"/skp/rhk/{rhk.id}/indikator",
            data={p + "text": "Indikator", p + "target_value": target, p + "target_unit": "x"},
            headers=headers,
        )
        assert r.status_code == 422
        html = r.get_data(as_text=True)
        assert (
            message in html
            and f'aria-describedby="{p}target_value-hint {p}target_value-error"' in html
        )
    assert Indicator.select().join(Rhk).where(Rhk.skp == draft.id).count() == 1


def test_rhk_text_too_long_and_bad_cascade(app, world, draft):
    client = _login(app, world.accounts["pegawai"])
    r = client.post(f"/skp/{draft.id}/rhk", data={"group": "UTAMA", "newutama-text": "x" * 1001})
    assert r.status_code == 422 and "paling banyak 1000 karakter" in r.get_data(as_text=True)
    other = make_skp(world.people["peer"], year=YEAR, status="DISETUJUI")
    r = client.post(
        f"/skp/{draft.id}/rhk",
        data={
            "group": "UTAMA",
            "newutama-text": "ok",
            "newutama-parent_rhk": str(first_rhk(other).id),
        },
    )
    assert r.status_code == 422  # not a choice offered: the form refuses it
    assert "Not a valid choice" not in r.get_data(as_text=True)


def test_field_check_endpoint(app, world):
    client = _login(app, world.accounts["pegawai"])
    r = client.get("/skp/periksa?check=target_value&i1-target_value=0", headers=HX)
    assert (
        r.get_data(as_text=True).strip()
        == '<span class="field-error">Target harus lebih besar dari nol.</span>'
    )
    r = client.get("/skp/periksa?check=target_value&i1-target_value=12,5", headers=HX)
    assert r.get_data(as_text=True).strip() == ""


def test_htmx_add_rhk_returns_plan_fragment(app, world, draft):
    client = _login(app, world.accounts["pegawai"])
    r = client.post(
        f"/skp/{draft.id}/rhk",
        data={"group": "TAMBAHAN", "newtambahan-text": "Tugas tambahan"},
        headers=HX,
    )
    html = r.get_data(as_text=True)
    assert (
        r.status_code == 200 and html.lstrip().startswith("<section") and "Tugas tambahan" in html
    )
    assert "HX-Request" in r.headers["Vary"]
    assert Rhk.get(Rhk.text == "Tugas tambahan").kind == "TAMBAHAN"


def test_move_edit_delete_without_js(app, world):
    skp = make_skp(
        world.people["pegawai"],
        year=YEAR,
        rhks=(("UTAMA", "Satu", (("a", "1", "u"),)), ("UTAMA", "Dua", (("b", "2", "u"),))),
    )
    client = _login(app, world.accounts["pegawai"])
    two = Rhk.get(Rhk.text == "Dua")
    assert client.post(f"/skp/rhk/{two.id}/pindah", data={"direction": "up"}).status_code == 303
    tree = _ok(client.get(f"/skp/{skp.id}"))
    assert [t for t in texts(tree, "p") if t in ("Satu", "Dua")] == ["Dua", "Satu"]
    tree = _ok(client.get(f"/skp/rhk/{two.id}/ubah"))
    assert find_all(tree, "textarea", name=f"r{two.id}-text")
    assert client.post(f"/skp/rhk/{two.id}/hapus").status_code == 303
    assert not Rhk.select().where(Rhk.id == two.id).exists()


def test_submitted_skp_cannot_be_edited_by_owner(app, world):
    skp = make_skp(world.people["pegawai"], year=YEAR, status="DIAJUKAN")
    client = _login(app, world.accounts["pegawai"])
    r = client.post(f"/skp/{skp.id}/rhk", data={"group": "UTAMA", "newutama-text": "x"}, headers=HX)
    assert r.status_code == 409 and "tidak dapat diubah" in r.get_data(as_text=True)
    r = client.post(f"/skp/{skp.id}/rhk", data={"group": "UTAMA", "newutama-text": "x"})
    assert r.status_code == 303


def test_peer_cannot_read_and_atasan_reads_only(app, world):
    skp = make_skp(world.people["pegawai"], year=YEAR, status="DIAJUKAN")
    peer = _login(app, world.accounts["peer"])
    for url in (f"/skp/{skp.id}", f"/skp/{skp.id}/cetak", f"/atasan/skp/{skp.id}"):
        assert peer.get(url).status_code == 403
    atasan = _login(app, world.accounts["atasan"])
    tree = _ok(atasan.get(f"/skp/{skp.id}"))
    assert not find_all(tree, "form", action=f"/skp/{skp.id}/ajukan")
    assert atasan.post(f"/atasan/skp/{skp.id}/setujui").status_code == 403
    assert _login(app, world.accounts["auditor"]).get(f"/skp/{skp.id}/cetak").status_code == 200


def test_revision_and_old_version_page(app, world):
    skp = make_skp(world.people["pegawai"], year=YEAR, status="DISETUJUI")
    client = _login(app, world.accounts["pegawai"])
    r = client.post(f"/skp/{skp.id}/revisi", data={"reason": ""})
    assert r.status_code == 422 and "Alasan revisi wajib diisi." in r.get_data(as_text=True)
    assert client.post(f"/skp/{skp.id}/revisi", data={"reason": "Tugas baru"}).status_code == 303
    tree = _ok(client.get(f"/skp/{skp.id}/versi/1"))
    assert "Terlaksananya pelayanan KTP-el" in "".join(tree.itertext())
    assert client.get(f"/skp/{skp.id}/versi/7").status_code == 404


def test_team_overview_highlights_late(app, world):
    make_year(YEAR, open_numbers=(1,))
    make_skp(world.people["pegawai"], year=YEAR, status="DIAJUKAN")
    from kinerja.models.period import Period

    Period.update(skp_deadline=today_wib() - timedelta(days=1)).where(Period.number == 0).execute()
    client = _login(app, world.accounts["supervisor"])
    tree = _ok(client.get("/atasan/tim"))
    late = find_all(tree, "tr", class_="row-late")
    names = ["".join(row.itertext()) for row in late]
    assert any("Rekan Uji" in n for n in names)  # no SKP at all
    assert "1 SKP menunggu persetujuan Anda" in "".join(tree.itertext())
    home = _ok(client.get("/beranda"))
    assert "SKP menunggu persetujuan Anda" in texts(home, "a")


@pytest.mark.parametrize(
    "path",
    [
        "/skp/999999",
        "/skp/rhk/999999/ubah",
        "/skp/indikator/999999/ubah",
        "/atasan/skp/999999",
        "/skp/1/realisasi/999999",
        "/atasan/pegawai/999999/umpan-balik",
    ],
)
def test_missing_objects_are_404_not_500(app, world, path):
    make_skp(world.people["pegawai"], year=YEAR)
    client = _login(app, world.accounts["pegawai"])
    assert client.get(path).status_code in (403, 404)


def test_garbage_posts_never_500(app, world, draft):
    client = _login(app, world.accounts["pegawai"])
    rhk = first_rhk(draft)
    for url, data in [
        (f"/skp/{draft.id}/pendekatan", {"approach": "SEMBARANG"}),
        (f"/skp/rhk/{rhk.id}/pindah", {"direction": "samping"}),
        (f"/skp/{draft.id}/rhk", {"group": "X", "newutama-kind": "LAIN", "newutama-text": "\x00"}),
        ("/skp/mulai", {"year": "abc"}),
        ("/skp/mulai", {"year": "1900"}),
    ]:
        r = client.post(url, data=data)
        assert r.status_code < 500, (url, r.status_code)
        assert re.search(r"Traceback", r.get_data(as_text=True)) is None


def test_approve_shows_its_consequence_and_keeps_typed_expectations(app, world):
    """Issue 21: "Setujui SKP" sits after the content, asks for confirmation (what approving
    does), saves the expectations typed above it, and reloads the page (badge updates)."""
    from kinerja.models.skp import PerilakuExpectation

    skp = make_skp(world.people["pegawai"], year=YEAR, status="DIAJUKAN")
    kasi = _login(app, world.accounts["supervisor"])
    html = kasi.get(f"/atasan/skp/{skp.id}").get_data(as_text=True)
    assert html.index('id="decision"') > html.index('id="ekspektasi"') > html.index("sbs-title")
    tree = check_page(html)
    (button,) = [b for b in find_all(tree, "button") if "Setujui SKP" in "".join(b.itertext())]
    assert button.get("form") == "expectation-form"
    assert button.get("formaction") == f"/atasan/skp/{skp.id}/setujui"

    typed = {"AKUNTABEL": "Laporan tepat waktu setiap Jumat"}
    r = kasi.post(f"/atasan/skp/{skp.id}/setujui", data=typed)
    tree = _ok(r)
    text = " ".join(tree.itertext())
    assert "Ya, setujui SKP" in text and "Laporan tepat waktu setiap Jumat" in text
    assert "terkunci" in text and "Disetujui" in text
    assert Skp.get_by_id(skp.id).status == "DIAJUKAN"  # looking is not approving
    assert not PerilakuExpectation.select().where(PerilakuExpectation.skp == skp.id).exists()

    r = kasi.post(f"/atasan/skp/{skp.id}/setujui", data=typed, headers=HX)
    assert r.status_code == 200 and r.headers["HX-Retarget"] == "#decision"
    assert "Ya, setujui SKP" in r.get_data(as_text=True)

    r = kasi.post(f"/atasan/skp/{skp.id}/setujui", data={**typed, "confirm": "1"}, headers=HX)
    assert r.headers["HX-Redirect"] == f"/atasan/skp/{skp.id}"
    assert Skp.get_by_id(skp.id).status == "DISETUJUI"
    (saved,) = PerilakuExpectation.select().where(PerilakuExpectation.skp == skp.id)
    assert saved.value == "AKUNTABEL" and saved.text == typed["AKUNTABEL"]
    tree = _ok(kasi.get(f"/atasan/skp/{skp.id}"))
    assert "Diajukan" not in " ".join(tree.itertext())


def test_approve_without_expectation_fields_keeps_existing_ones(app, world):
    from kinerja.models.skp import PerilakuExpectation

    skp = make_skp(world.people["pegawai"], year=YEAR, status="DIAJUKAN")
    PerilakuExpectation.create(
        skp=skp, value="AKUNTABEL", text="Tetap", author=world.people["supervisor"].id
    )
    kasi = _login(app, world.accounts["supervisor"])
    assert kasi.post(f"/atasan/skp/{skp.id}/setujui", data={"confirm": "1"}).status_code == 303
    assert Skp.get_by_id(skp.id).status == "DISETUJUI"
    assert PerilakuExpectation.get(PerilakuExpectation.skp == skp.id).text == "Tetap"
