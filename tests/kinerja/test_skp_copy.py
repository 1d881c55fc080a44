"""Less typing (issue 23 part 5): copy last year's SKP as a draft, with the approved items
marked and the RHK pimpinan links re-pointed or cleared; RHK cascading from the supervisor's
approved RHK."""

import json

import pytest

from kinerja.clock import today_wib
from kinerja.models.audit import AuditEvent
from kinerja.models.skp import Indicator, Rhk, Skp, SkpRevision
from kinerja.queries import skp as skp_queries
from kinerja.services import skp as service
from kinerja.services import skp_copy
from kinerja.services.skp import SkpError, StateConflict
from tests.builders_evaluation import actor_of
from tests.builders_skp import first_rhk, make_skp

THIS = today_wib().year
LAST = THIS - 1


def _rhk(skp, text):
    return Rhk.get((Rhk.skp == skp.id) & (Rhk.text == text))


@pytest.fixture
def years(world):
    """The kasi's approved SKP of last year and this year (one RHK in common, written a
    little differently), and the pegawai's approved SKP of last year with two RHK: one
    linked to the RHK kept by the kasi, one to an RHK the kasi dropped."""
    kasi, pegawai = world.people["supervisor"], world.people["pegawai"]
    boss_last = make_skp(
        kasi,
        year=LAST,
        status="DISETUJUI",
        rhks=(
            ("UTAMA", "Meningkatnya layanan KTP-el", ()),
            ("UTAMA", "Program lama yang selesai", ()),
        ),
    )
    boss_now = make_skp(
        kasi,
        year=THIS,
        status="DISETUJUI",
        rhks=(
            ("UTAMA", "Meningkatnya  layanan KTP-el ", ()),
            ("UTAMA", "Digitalisasi arsip kependudukan", ()),
        ),
    )
    own_last = make_skp(
        pegawai,
        year=LAST,
        status="DISETUJUI",
        rhks=(
            ("UTAMA", "Terlayaninya perekaman KTP-el", (("Jumlah perekaman", "120", "orang"),)),
            ("TAMBAHAN", "Terlaksananya program lama", (("Jumlah kegiatan", "4", "kegiatan"),)),
        ),
    )
    Rhk.update(parent_rhk=_rhk(boss_last, "Meningkatnya layanan KTP-el")).where(
        Rhk.id == _rhk(own_last, "Terlayaninya perekaman KTP-el").id
    ).execute()
    Rhk.update(parent_rhk=_rhk(boss_last, "Program lama yang selesai")).where(
        Rhk.id == _rhk(own_last, "Terlaksananya program lama").id
    ).execute()
    return {"boss_now": boss_now, "own_last": own_last}


def test_copy_makes_a_marked_draft_and_repoints_or_clears_the_links(world, years):
    result = skp_copy.copy_previous(actor_of(world, "pegawai"), THIS)
    skp = result.skp
    assert (skp.year, skp.status, skp.employee_id) == (THIS, "DRAFT", world.people["pegawai"].id)
    assert (result.rhks, result.indicators, result.relinked) == (2, 2, 1)
    assert result.cleared == ["Terlaksananya program lama"]
    kept = _rhk(skp, "Terlayaninya perekaman KTP-el")
    assert kept.parent_rhk_id == _rhk(years["boss_now"], "Meningkatnya  layanan KTP-el ").id
    dropped = _rhk(skp, "Terlaksananya program lama")
    assert dropped.parent_rhk_id is None and dropped.kind == "TAMBAHAN"
    indicator = Indicator.get(Indicator.rhk == kept.id)
    assert (indicator.text, indicator.target_value, indicator.target_unit) == (
        "Jumlah perekaman",
        120,
        "orang",
    )
    assert {r.copied_from_year for r in Rhk.select().where(Rhk.skp == skp.id)} == {LAST}
    assert indicator.copied_from_year == LAST
    event = AuditEvent.select().where(AuditEvent.action == "skp.copied_from_previous").get()
    after = json.loads(event.after)
    assert after["links_cleared"] == ["Terlaksananya program lama"]
    assert after["from_year"] == LAST
    # last year's SKP is untouched
    assert Rhk.select().where(Rhk.skp == years["own_last"].id).count() == 2


def test_an_empty_draft_of_this_year_is_filled(world, years):
    draft = service.start(actor_of(world, "pegawai"), THIS)
    result = skp_copy.copy_previous(actor_of(world, "pegawai"), THIS)
    assert result.skp.id == draft.id and result.rhks == 2


def test_refused_when_this_years_skp_has_content(world, years):
    make_skp(world.people["pegawai"], year=THIS)
    with pytest.raises(StateConflict, match="sudah berisi RHK"):
        skp_copy.copy_previous(actor_of(world, "pegawai"), THIS)


def test_only_the_employees_own_previous_skp(world, years):
    """The peer has no SKP last year: nothing is copied, not even someone else's."""
    with pytest.raises(StateConflict, match="tidak memiliki SKP tahun"):
        skp_copy.copy_previous(actor_of(world, "peer"), THIS)
    assert not Skp.select().where(Skp.employee == world.people["peer"].id).exists()


def test_one_transaction_nothing_half_copied(world, years, monkeypatch):
    calls = []
    real = Indicator.create

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk penuh")
        return real(**kwargs)

    monkeypatch.setattr(Indicator, "create", failing)
    with pytest.raises(RuntimeError):
        skp_copy.copy_previous(actor_of(world, "pegawai"), THIS)
    pegawai = world.people["pegawai"]
    assert not Skp.select().where((Skp.employee == pegawai.id) & (Skp.year == THIS)).exists()
    assert not AuditEvent.select().where(AuditEvent.action == "skp.copied_from_previous").exists()


def test_marks_go_when_edited_and_when_submitted(world, years):
    actor = actor_of(world, "pegawai")
    skp = skp_copy.copy_previous(actor, THIS).skp
    rhk = _rhk(skp, "Terlayaninya perekaman KTP-el")
    service.update_rhk(actor, rhk, {"text": "Terlayaninya perekaman KTP-el tepat waktu"})
    assert Rhk.get_by_id(rhk.id).copied_from_year is None
    other = Indicator.select().join(Rhk).where(Rhk.skp == skp.id).order_by(Indicator.id).first()
    assert other.copied_from_year == LAST  # the indicators keep their own mark
    service.submit(actor, skp)
    assert not Indicator.select().where(Indicator.copied_from_year.is_null(False)).exists()
    assert not Rhk.select().where(Rhk.copied_from_year.is_null(False)).exists()


def test_editing_an_indicator_removes_only_its_mark(world, years):
    actor = actor_of(world, "pegawai")
    skp = skp_copy.copy_previous(actor, THIS).skp
    indicator = Indicator.select().join(Rhk).where(Rhk.skp == skp.id).first()
    service.update_indicator(
        actor,
        indicator,
        {"text": "Jumlah perekaman", "target_value": "150", "target_unit": "orang"},
    )
    assert Indicator.get_by_id(indicator.id).copied_from_year is None
    assert Rhk.get_by_id(indicator.rhk_id).copied_from_year == LAST


def test_during_a_revision_only_the_approved_version_is_marked(world, years):
    own_last = years["own_last"]
    SkpRevision.create(
        skp=own_last, version=1, snapshot=json.dumps(service.snapshot(own_last), default=str)
    )
    Skp.update(status="DRAFT", in_revision=True).where(Skp.id == own_last.id).execute()
    Rhk.create(skp=own_last, kind="UTAMA", position=9, text="RHK baru dalam revisi")
    skp = skp_copy.copy_previous(actor_of(world, "pegawai"), THIS).skp
    assert _rhk(skp, "RHK baru dalam revisi").copied_from_year is None
    assert _rhk(skp, "Terlayaninya perekaman KTP-el").copied_from_year == LAST


def test_a_never_approved_skp_is_copied_unmarked(world):
    make_skp(world.people["peer"], year=LAST, status="DRAFT")
    result = skp_copy.copy_previous(actor_of(world, "peer"), THIS)
    assert result.rhks == 1 and result.marked == 0


def test_cascade_from_the_supervisors_approved_rhk(world, years):
    actor = actor_of(world, "pegawai")
    skp = service.start(actor, THIS)
    boss_rhks = skp_queries.supervisor_rhks(skp)
    created = skp_copy.cascade_from_supervisor(actor, skp, [str(r.id) for r in boss_rhks])
    assert [(r.text, r.parent_rhk_id, r.kind) for r in created] == [
        (r.text, r.id, "UTAMA") for r in boss_rhks
    ]
    assert AuditEvent.select().where(AuditEvent.action == "skp.rhk_cascaded").exists()


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ([], "Pilih paling sedikit satu"),
        (["abc"], "tidak dikenal"),
        ("last-year", "tidak dikenal"),
    ],
)
def test_cascade_refuses_what_is_not_offered(world, years, choice, message):
    actor = actor_of(world, "pegawai")
    skp = service.start(actor, THIS)
    if choice == "last-year":
        choice = [first_rhk(years["own_last"]).parent_rhk_id]
    with pytest.raises(SkpError) as exc:
        skp_copy.cascade_from_supervisor(actor, skp, choice)
    assert message in " ".join(exc.value.errors.values())
    assert not Rhk.select().where(Rhk.skp == skp.id).exists()
