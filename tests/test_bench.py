"""The bench's pure parts: the open-loop schedule, percentiles and the 'held' verdict."""

from bench.run import arrivals, held, largest_held, percentile, rates, schedule


def test_arrivals_are_evenly_spaced_inside_the_duration():
    times = arrivals(4, 2.0, phase=0.5)
    assert times == [0.125, 0.375, 0.625, 0.875, 1.125, 1.375, 1.625, 1.875]
    assert arrivals(0, 10) == []


def test_schedule_holds_every_kind_at_its_rate_in_time_order():
    plan = schedule(rates(2), 10.0)
    assert [t for t, _ in plan] == sorted(t for t, _ in plan)
    kinds = [k for _, k in plan]
    assert kinds.count("kiosk answer") == 240  # 60 kiosks every 5 s, twice the city
    assert kinds.count("realisation save") == 80
    assert len(plan) == (30 + 20 + 12) * 2 * 10


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def _step(multiple, page_p95=50.0, kiosk_p99=100.0, errors=0, lost=0, doubled=0, jobs=()):
    classes = {
        "logged-in": {"p95": page_p95, "p99": page_p95, "errors": errors},
        "public": {"p95": 10.0, "p99": 20.0, "errors": 0},
        "kiosk": {"p95": 10.0, "p99": kiosk_p99, "errors": 0},
    }
    step = {"multiple": multiple, "classes": classes, "job_errors": list(jobs),
            "kiosk": {"lost": lost, "doubled": doubled}}  # fmt: skip
    step["held"] = held(step)
    return step


def test_a_step_holds_only_when_every_target_is_met():
    assert _step(1)["held"]
    assert not _step(1, page_p95=201)["held"]
    assert not _step(1, kiosk_p99=501)["held"]
    assert not _step(1, errors=1)["held"]
    assert not _step(1, lost=1)["held"]
    assert not _step(1, doubled=1)["held"]
    assert not _step(1, jobs=[{"name": "publish"}])["held"]


def test_largest_multiple_counts_up_to_the_first_failed_step():
    assert largest_held([_step(1), _step(2), _step(3, page_p95=300), _step(5)]) == 2
    assert largest_held([_step(1, errors=2)]) == 0


def test_a_refused_republication_is_a_documented_outcome_not_a_job_error(monkeypatch):
    import subprocess

    from bench import run
    from kinerja.services.publish import REFUSED_EXIT

    assert run.REFUSED_EXIT == REFUSED_EXIT
    outcomes = []

    def fake_run(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, outcomes.pop(0), stdout="ditolak", stderr="")

    monkeypatch.setattr(run.subprocess, "run", fake_run)
    for name, args, code, ok in [
        ("publish", ("publish",), REFUSED_EXIT, True),
        ("publish", ("publish",), 1, False),
        ("roster import", ("import-roster", "x.xlsx"), REFUSED_EXIT, False),
    ]:
        outcomes.append(code)
        assert run.Job(name, "sqlite:///x", *args).finish()["ok"] is ok
