"""Publishing public snapshots: figures, disclosure control before writing, rebuilds."""

import json
import os
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.enums import Unsur
from kinerja.models.audit import AuditEvent
from kinerja.models.public import (
    FigureStatus,
    PublicProcessFigure,
    PublicServiceTypeFigure,
    PublicSnapshot,
    PublicTrendPoint,
    PublicUnitFigure,
)
from kinerja.scoring import ikm, krejcie_morgan, quick_index
from kinerja.services.publish import PublishError, latest_period, publish
from kinerja.services.publish_sources import AnswerSums, kiosk_by_unit_month, trend_months
from tests.builders_public import (
    add_answers,
    add_evaluations,
    add_requests,
    make_period,
    make_service_type,
    noon,
)

answer = st.one_of(st.none(), st.integers(1, 4))
respondent = st.lists(answer, min_size=9, max_size=9)


@given(st.lists(respondent, min_size=1, max_size=40), st.lists(st.integers(1, 4), max_size=40))
@settings(max_examples=150, deadline=None)
def test_sql_sums_give_the_same_ikm_and_quick_index_as_the_scoring_core(answers, faces):
    rows = [dict(zip(Unsur, r, strict=True)) for r in answers]
    sums = AnswerSums(
        n=sum(1 for r in answers if any(v is not None for v in r)),
        sums=[sum(r[i] or 0 for r in answers) for i in range(9)],
        counts=[sum(r[i] is not None for r in answers) for i in range(9)],
        face_n=len(faces),
        face_sum=sum(faces),
    )
    expected = ikm(rows)
    assert sums.n == expected.n
    assert sums.konversi() == expected.ikm_konversi
    if faces:
        from fractions import Fraction

        from kinerja.formatting import round_half_up

        mean = Fraction(sums.face_sum, sums.face_n)
        assert round_half_up((mean - 1) * Fraction(100, 3), 2) == quick_index(faces)


def test_answers_are_summed_per_month_and_split_at_a_period_edge_inside_a_month(world):
    unit = world.units["opd"]
    add_answers(unit, date(2026, 3, 14), 2, face=1)
    add_answers(unit, date(2026, 3, 15), 3, face=4)
    add_answers(unit, date(2026, 4, 30), 4, phone=True)
    add_answers(unit, date(2026, 5, 1), 5)  # after the range
    sums = kiosk_by_unit_month(date(2026, 3, 1), date(2026, 3, 15), date(2026, 4, 30))
    assert {k: (v.n, v.face_n, v.face_sum, v.phone_n) for k, v in sums.items()} == {
        (unit.id, date(2026, 3, 1), False): (2, 2, 2, 0),
        (unit.id, date(2026, 3, 1), True): (3, 3, 12, 0),
        (unit.id, date(2026, 4, 1), True): (4, 4, 16, 4),
    }
    assert sums[(unit.id, date(2026, 4, 1), True)].sums == [16, 12, 12, 16, 12, 12, 16, 12, 12]


def test_trend_months_are_the_twelve_months_up_to_the_period_end():
    months = trend_months(date(2026, 3, 31))
    assert months[0] == date(2025, 4, 1) and months[-1] == date(2026, 3, 1)
    assert len(months) == 12


def _unit_row(snapshot, code):
    return PublicUnitFigure.get(
        (PublicUnitFigure.snapshot == snapshot.id) & (PublicUnitFigure.code == code)
    )


def test_publish_writes_figures_with_ikm_sample_and_service(world):
    period = make_period(2026, 1)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 2, 3), 30, values=(4, 4, 4, 4, 3, 3, 3, 3, 3), face=3)
    service = make_service_type(opd)
    add_requests(service, noon(date(2026, 2, 3)), 20)
    add_requests(service, noon(date(2026, 2, 6)), 5, hours=24 * 5, rework=True)

    report = publish(period)

    snapshot = PublicSnapshot.get_by_id(report.snapshot_id)
    assert snapshot.method_version and json.loads(snapshot.thresholds)["public_min_n"] == 10
    row = _unit_row(snapshot, "DUKCAPIL")
    assert row.ikm_status == FigureStatus.OK and row.ikm_n == 30
    expected = ikm([dict(zip(Unsur, (4, 4, 4, 4, 3, 3, 3, 3, 3), strict=True))] * 30)
    assert row.ikm_konversi == expected.konversi and row.mutu == expected.mutu.value
    assert row.population == 25 and row.sample_size == krejcie_morgan(25)
    assert row.sample_reached is True
    assert row.quick_index == quick_index([3] * 30) and row.quick_n == 30
    assert row.svc_status == FigureStatus.OK and row.svc_n == 25
    assert row.on_time_rate == pytest.approx(80) and row.rework_rate == pytest.approx(20)
    types = list(
        PublicServiceTypeFigure.select().where(PublicServiceTypeFigure.unit_code == "DUKCAPIL")
    )
    assert [(t.name, t.n) for t in types] == [("Penerbitan KTP-el", 25)]
    no_comment = [
        r for r in PublicUnitFigure.select().dicts() if "Komentar" in json.dumps(r, default=str)
    ]
    assert no_comment == []


def test_below_ten_is_withheld_and_distinct_from_no_data(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 9)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    row = _unit_row(snapshot, "DUKCAPIL")
    assert row.ikm_status == FigureStatus.WITHHELD
    assert row.ikm_n is None and row.ikm_konversi is None and row.nrr_u1 is None
    assert row.svc_status == FigureStatus.NO_DATA  # no requests at all
    assert not PublicTrendPoint.select().where(PublicTrendPoint.snapshot == snapshot.id).exists()


def test_small_sub_unit_rolls_into_its_parent(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 20, values=(4,) * 9)
    add_answers(world.units["seksi"], date(2026, 2, 3), 4, values=(1,) * 9)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    seksi = _unit_row(snapshot, "DUKCAPIL.PDP.ID")
    assert seksi.ikm_status == FigureStatus.ROLLED and seksi.ikm_group == "DUKCAPIL"
    assert seksi.ikm_konversi is None
    opd = _unit_row(snapshot, "DUKCAPIL")
    assert opd.ikm_n == 24  # the seksi's four answers are inside the parent's figure
    assert "Seksi Identitas Penduduk" in json.loads(opd.ikm_covers)


def test_a_big_enough_sub_unit_is_published_on_its_own_and_inside_its_parent(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 15)
    add_answers(world.units["seksi"], date(2026, 2, 3), 12)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    assert _unit_row(snapshot, "DUKCAPIL.PDP.ID").ikm_n == 12
    opd = _unit_row(snapshot, "DUKCAPIL")
    assert opd.ikm_n == 27  # an OPD figure rolls up its seksi (issue 18)
    assert "Seksi Identitas Penduduk" in json.loads(opd.ikm_covers)


# --- issue 18 item 3: nested figures, service data at the serving unit -------------------------


def test_a_parent_without_answers_of_its_own_shows_its_sub_units_total(world):
    period = make_period(2026, 1)
    add_answers(world.units["seksi"], date(2026, 2, 3), 250)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    for code in ("DUKCAPIL", "DUKCAPIL.PDP", "DUKCAPIL.PDP.ID"):
        row = _unit_row(snapshot, code)
        assert (row.ikm_status, row.ikm_n) == (FigureStatus.OK, 250), code


def test_a_parent_never_lets_a_small_remainder_be_differenced_out(world):
    """OPD 3 answers of its own above a seksi with 250: showing both would reveal the OPD's
    three (253 − 250), and hiding the OPD would contradict its seksi: the seksi (with the
    bidang between them) is taken into the OPD's figure instead."""
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 3, values=(1,) * 9)
    add_answers(world.units["seksi"], date(2026, 2, 3), 250)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    opd = _unit_row(snapshot, "DUKCAPIL")
    assert (opd.ikm_status, opd.ikm_n) == (FigureStatus.OK, 253)
    seksi = _unit_row(snapshot, "DUKCAPIL.PDP.ID")
    assert seksi.ikm_status == FigureStatus.ROLLED and seksi.ikm_group == "DUKCAPIL"
    assert seksi.ikm_n is None and seksi.ikm_konversi is None


def test_a_remainder_of_ten_or_more_keeps_both_figures(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 10)
    add_answers(world.units["seksi"], date(2026, 2, 3), 250)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    assert _unit_row(snapshot, "DUKCAPIL").ikm_n == 260
    assert _unit_row(snapshot, "DUKCAPIL.PDP").ikm_n == 250
    assert _unit_row(snapshot, "DUKCAPIL.PDP.ID").ikm_n == 250


def test_a_request_belongs_to_the_unit_of_the_officer_who_served_it(world):
    """Recorded at the OPD (its jenis layanan), completed by seksi staff: the seksi's N,
    S, verdict and timeliness count it, and so does every unit above it."""
    period = make_period(2026, 1)
    add_answers(world.units["seksi"], date(2026, 2, 3), 30)
    service = make_service_type(world.units["opd"])
    add_requests(service, noon(date(2026, 2, 3)), 40, handler=world.people["pegawai"])
    add_requests(service, noon(date(2026, 2, 4)), 12, completed=False)  # no officer yet
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    seksi = _unit_row(snapshot, "DUKCAPIL.PDP.ID")
    assert (seksi.population, seksi.sample_size) == (40, krejcie_morgan(40))
    assert seksi.sample_reached is False  # 30 < S(40)
    assert (seksi.svc_status, seksi.svc_n) == (FigureStatus.OK, 40)
    opd = _unit_row(snapshot, "DUKCAPIL")
    assert (opd.population, opd.ikm_n, opd.svc_n) == (52, 30, 40)
    assert opd.sample_size == krejcie_morgan(52)


def test_serving_unit_only_moves_a_request_down_its_own_subtree(world):
    from kinerja.models.org import Unit
    from kinerja.services.publish_sources import serving_unit

    units = {u.id: u for u in Unit.select()}
    opd, seksi, bkpsdm = (world.units[k].id for k in ("opd", "seksi", "bkpsdm"))
    assert serving_unit(opd, (seksi, None), units) == seksi
    assert serving_unit(opd, (None, seksi), units) == seksi  # registered by seksi staff
    assert serving_unit(opd, (bkpsdm, None), units) == opd  # another OPD's officer
    assert serving_unit(seksi, (opd, None), units) == seksi  # never up the tree


def test_a_parent_month_that_would_reveal_a_few_answers_is_suppressed(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 1, 10), 30)
    add_answers(world.units["opd"], date(2026, 2, 10), 3)
    add_answers(world.units["seksi"], date(2026, 2, 10), 20)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)

    def month(code, number):
        return PublicTrendPoint.get(
            (PublicTrendPoint.snapshot == snapshot.id)
            & (PublicTrendPoint.unit_code == code)
            & (PublicTrendPoint.month == date(2026, number, 1))
        )

    assert month("DUKCAPIL.PDP.ID", 2).n == 20
    assert month("DUKCAPIL", 2).status == FigureStatus.SUPPRESSED  # 23 − 20 = 3
    assert month("DUKCAPIL", 2).n is None
    assert month("DUKCAPIL", 1).n == 30


def test_a_parent_jenis_layanan_that_would_reveal_a_few_requests_is_suppressed(world):
    period = make_period(2026, 1)
    opd, seksi_staff = world.units["opd"], world.people["pegawai"]
    ktp, kk = make_service_type(opd), make_service_type(opd, "Kartu Keluarga")
    add_requests(ktp, noon(date(2026, 2, 3)), 12, handler=seksi_staff)
    add_requests(ktp, noon(date(2026, 2, 4)), 3, handler=world.people["kadis"])
    add_requests(kk, noon(date(2026, 2, 4)), 12, handler=world.people["kadis"])
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)

    def types(code):
        return {
            t.name: t
            for t in PublicServiceTypeFigure.select().where(
                (PublicServiceTypeFigure.snapshot == snapshot.id)
                & (PublicServiceTypeFigure.unit_code == code)
            )
        }

    assert _unit_row(snapshot, "DUKCAPIL").svc_n == 27  # remainder 15 ≥ 10
    assert types("DUKCAPIL.PDP.ID")["Penerbitan KTP-el"].n == 12
    opd_types = types("DUKCAPIL")
    assert opd_types["Penerbitan KTP-el"].status == FigureStatus.SUPPRESSED  # 15 − 12 = 3
    assert opd_types["Kartu Keluarga"].n == 12


def test_a_small_month_inside_the_period_gets_a_complementary_month_hidden(world):
    period = make_period(2026, 1)
    opd = world.units["opd"]
    add_answers(opd, date(2026, 1, 10), 30)
    add_answers(opd, date(2026, 2, 10), 4)
    add_answers(opd, date(2026, 3, 10), 12)
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    points = {
        p.month.month: p
        for p in PublicTrendPoint.select().where(
            (PublicTrendPoint.snapshot == snapshot.id) & PublicTrendPoint.in_period
        )
    }
    assert points[2].status == FigureStatus.WITHHELD
    assert points[3].status == FigureStatus.SUPPRESSED  # 46 − 30 would reveal February
    assert points[1].status == FigureStatus.OK and points[1].n == 30


def test_predikat_distribution_is_suppressed_before_it_is_written(world):
    closed = make_period(2026, 1, status="DITUTUP")
    current = make_period(2026, 2)
    add_evaluations(world.units["bidang"], closed, {"BAIK": 12, "SANGAT_BAIK": 3, "KURANG": 1})
    snapshot = PublicSnapshot.get_by_id(publish(current).snapshot_id)
    row = _unit_row(snapshot, "DUKCAPIL.PDP")
    assert snapshot.predikat_period_name == closed.name
    assert row.predikat_total == 16 and row.baik == 12
    assert row.sangat_baik is None and row.kurang is None
    assert row.butuh_perbaikan == 0 and row.sangat_kurang == 0
    assert json.loads(row.predikat_hidden) == {"KURANG": "SMALL", "SANGAT_BAIK": "SMALL"}


def test_predikat_below_ten_people_is_withheld(world):
    closed = make_period(2026, 1, status="DITUTUP")
    add_evaluations(world.units["bidang"], closed, {"BAIK": 9})
    snapshot = PublicSnapshot.get_by_id(publish(closed).snapshot_id)
    row = _unit_row(snapshot, "DUKCAPIL.PDP")
    assert row.predikat_status == FigureStatus.WITHHELD and row.baik is None


def test_process_figures_per_opd(world):
    period = make_period(2026, 1)
    add_evaluations(world.units["seksi"], period, {"BAIK": 10}, status="FINAL")
    add_evaluations(world.units["seksi"], period, {"BAIK": 5}, status="DINILAI")
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    rows = {
        r.opd_code: r
        for r in PublicProcessFigure.select().where(PublicProcessFigure.snapshot == snapshot.id)
    }
    assert rows["DUKCAPIL"].eval_n == 15
    assert float(rows["DUKCAPIL"].eval_final_rate) == pytest.approx(66.67)
    assert rows["DUKCAPIL"].objections_filed == 0
    assert rows["BKPSDM"].eval_status == FigureStatus.NO_DATA


def test_republishing_replaces_the_snapshot_and_is_audited(world):
    period = make_period(2026, 1)
    add_answers(world.units["opd"], date(2026, 2, 3), 10)
    first = publish(period)
    add_answers(world.units["opd"], date(2026, 2, 4), 10)
    second = publish(period)
    assert second.replaced and not first.replaced
    assert PublicSnapshot.select().count() == 1
    assert _unit_row(PublicSnapshot.get(), "DUKCAPIL").ikm_n == 20
    events = list(AuditEvent.select().where(AuditEvent.action == "public.published"))
    assert len(events) == 2


def test_default_period_is_the_latest_started_one(world):
    make_period(2026, 0, kind="TAHUNAN")
    q1 = make_period(2026, 1)
    make_period(2099, 1)
    assert latest_period(date(2026, 2, 1)).id == q1.id


def test_unknown_period_is_refused_in_indonesian(world):
    with pytest.raises(PublishError, match="tidak ditemukan"):
        publish(99999)


def test_cli_publish(runner, world):
    period = make_period(2026, 1)
    result = runner.invoke(args=["publish", "--period", str(period.id)])
    assert result.exit_code == 0, result.output
    assert "diterbitkan" in result.output
    result = runner.invoke(args=["publish", "--period", "424242"])
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, [10]), ("5", [5]), ("40", [19]), ("0", [])]
)
def test_batch_commands_yield_the_cpu_to_the_portal(runner, world, monkeypatch, setting, expected):
    calls = []
    monkeypatch.setattr(os, "nice", calls.append)
    if setting is None:
        monkeypatch.delenv("KINERJA_BATCH_NICE")
    else:
        monkeypatch.setenv("KINERJA_BATCH_NICE", setting)
    period = make_period(2026, 1)
    result = runner.invoke(args=["publish", "--period", str(period.id)])
    assert result.exit_code == 0, result.output
    assert calls == expected


def test_a_wrong_batch_priority_is_refused_before_anything_runs(runner, world, monkeypatch):
    monkeypatch.setattr(os, "nice", lambda step: pytest.fail("nice called"))
    monkeypatch.setenv("KINERJA_BATCH_NICE", "tinggi")
    period = make_period(2026, 1)
    result = runner.invoke(args=["publish", "--period", str(period.id)])
    assert result.exit_code == 2
    assert "KINERJA_BATCH_NICE" in result.output
    assert PublicSnapshot.select().count() == 0


def test_requests_received_outside_the_period_are_not_counted(world):
    period = make_period(2026, 1)
    service = make_service_type(world.units["opd"])
    add_requests(service, datetime(2026, 3, 31, 17, 30) + timedelta(hours=1), 15)  # 1 April WIB
    snapshot = PublicSnapshot.get_by_id(publish(period).snapshot_id)
    assert _unit_row(snapshot, "DUKCAPIL").svc_status == FigureStatus.NO_DATA


def test_publish_computes_before_taking_the_writer(world, monkeypatch):
    # A write made while publish computes (another thread, its own connection) goes through
    # at once: the write transaction only stores the finished snapshot.
    import threading

    from kinerja.db import database, write_tx
    from kinerja.models.system import Setting
    from kinerja.services import publish_figures as publishing

    period = make_period(2026, 1, status="DITUTUP")
    add_answers(world.units["opd"], date(2026, 2, 3), 12)
    finished = []

    def write_meanwhile():
        try:
            with write_tx():
                Setting.create(key="uji.selama_terbit", value="1")
            finished.append(True)
        finally:
            database.close()

    original = publishing.process_rows

    def computing(*args):
        thread = threading.Thread(target=write_meanwhile)
        thread.start()
        thread.join(timeout=3)
        assert finished == [True], "a writer waited on publish's computation"
        return original(*args)

    monkeypatch.setattr(publishing, "process_rows", computing)
    report = publish(period)
    assert report.units >= 1
    assert Setting.get(Setting.key == "uji.selama_terbit").value == "1"
