"""No page reveals a 360 rater (docs/spec/product.md §3).

The strongest form we can test: every page the rated person, the supervisor, the atasan,
an admin or an auditor can open renders byte-for-byte the same whichever of the asked
raters gave which answer (and whichever of them answered at all). The summary shows only
once the round is closed (issue 19); then scores appear at the third answer, comments at
the fifth. tests/portal/test_360_differencing.py plays the differencing attack.
"""

import re

from kinerja.enums import Berakhlak, Rating
from kinerja.models.evaluation import Evaluation, FeedbackAnswer, FeedbackRequest
from kinerja.permissions import Actor
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as fb
from tests.builders_evaluation import make_evaluation, make_peers, make_period
from tests.html import check_page, find_all

A, S, B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI
ANSWERS = [(A, "Selalu menolong"), (S, "Rapi"), (B, "Kadang terlambat"), (A, "Ramah"), (S, "")]
TOKEN = re.compile(r'(name="csrf-token" content|name="csrf_token" value)="[^"]*"')


def _pages(ev):
    pages = {
        "pegawai": [f"/penilaian/{ev.id}", f"/penilaian/{ev.id}/dokumen", "/penilaian"],
        "supervisor": [
            f"/atasan/penilaian/{ev.id}",
            f"/atasan/penilaian/{ev.id}/360",
            f"/penilaian/{ev.id}",
            "/atasan/penilaian",
        ],
        "atasan": [f"/penilaian/{ev.id}", f"/atasan/penilaian/{ev.id}"],
        "admin": [f"/penilaian/{ev.id}", f"/penilaian/{ev.id}/dokumen"],
        "auditor": [f"/penilaian/{ev.id}"],
    }
    return pages


def _render(client, login_as, world, ev):
    out = {}
    for role, urls in _pages(ev).items():
        login_as(world.accounts[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            check_page(response.text)
            out[(role, url)] = TOKEN.sub("", response.text)
    return out


def _answer(raters, ev, assignment):
    """``assignment``: rater index → index into ANSWERS."""
    for rater_index, answer_index in assignment.items():
        rater = raters[rater_index]
        request = FeedbackRequest.get(
            (FeedbackRequest.evaluation == ev.id) & (FeedbackRequest.rater == rater.id)
        )
        rating, comment = ANSWERS[answer_index]
        fb.answer(
            Actor(rater.accounts.get()),
            request,
            {v.value: rating.value for v in Berakhlak},
            {Berakhlak.HARMONIS.value: comment},
        )


def _close(world, ev):
    fb.close_round(Actor(world.accounts["supervisor"]), ev)


def _reset(ev):
    """Back to an open round without answers (a test shortcut; the app never reopens)."""
    FeedbackAnswer.delete().where(FeedbackAnswer.evaluation == ev.id).execute()
    FeedbackRequest.update(answered=False).where(FeedbackRequest.evaluation == ev.id).execute()
    Evaluation.update(feedback_closed_on=None).where(Evaluation.id == ev.id).execute()


def test_no_page_reveals_who_answered_what(client, login_as, world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    raters = make_peers(world, 6)
    fb.request_raters(Actor(world.accounts["supervisor"]), ev, [r.id for r in raters])

    scenarios = [
        # below the score threshold: who answered must not show
        ({0: 0, 1: 1}, {4: 0, 5: 1}),
        ({0: 1, 1: 0}, {2: 0, 3: 1}),
        # at 3: scores shown, comments not; swapping raters changes nothing
        ({0: 0, 1: 1, 2: 2}, {3: 2, 4: 1, 5: 0}),
        # at 5: comments shown (sorted), still nothing links them to a rater
        ({0: 0, 1: 1, 2: 2, 3: 3, 4: 4}, {5: 4, 4: 3, 3: 2, 2: 1, 1: 0}),
    ]
    for first, second in scenarios:
        _answer(raters, ev, first)
        _close(world, ev)
        before = _render(client, login_as, world, ev)
        _reset(ev)
        _answer(raters, ev, second)
        _close(world, ev)
        after = _render(client, login_as, world, ev)
        _reset(ev)
        for key in before:
            assert before[key] == after[key], f"{key} differs between {first} and {second}"


def test_scores_from_the_third_answer_comments_from_the_fifth(client, login_as, world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    raters = make_peers(world, 5)
    fb.request_raters(Actor(world.accounts["supervisor"]), ev, [r.id for r in raters])
    login_as(world.accounts["pegawai"])
    for n in range(1, 6):
        _reset(ev)
        _answer(raters, ev, {i: i for i in range(n)})
        _close(world, ev)
        tree = check_page(client.get(f"/penilaian/{ev.id}").text)
        peer = find_all(tree, "section", class_="feedback-group")[0]
        text = "".join(peer.itertext())
        assert bool(find_all(peer, "table")) == (n >= 3), n
        assert ("Selalu menolong" in text) == (n >= 5), n
    assert svc.thresholds_for(ev.period).feedback_comments_min == 5


def test_no_view_or_template_touches_the_answer_rows():
    # Pages read answers only through the thresholded summaries of the service.
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    for path in list((root / "templates").rglob("*.html")) + list((root / "portal").rglob("*.py")):
        text = path.read_text()
        assert "FeedbackAnswer" not in text and ".batch" not in text, path
