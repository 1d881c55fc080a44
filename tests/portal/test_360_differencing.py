"""The 360 differencing attack of issue 19 item 1, played by every viewer (SECURITY.md
"360 anonymity").

The Pejabat Penilai asks raters one at a time and each answers before the next is asked;
after every step the supervisor, the rated person, the admin and the auditor read every
page they can open (the audit log page and its CSV included), and the admin and auditor
also read the database tables. An answer must change nothing any of them can see: the
summary is released once, when the 360 round is closed, and then never changes; no row and
no audit entry ties an answer (or the moment of answering) to the rater.
"""

import re

from kinerja.db import database
from kinerja.enums import Berakhlak, Rating
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import FeedbackRequest
from kinerja.permissions import Actor
from kinerja.services import evaluation_feedback as fb
from tests.builders_evaluation import make_evaluation, make_peers, make_period
from tests.html import check_page, find_all

A, S, B = Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI
TOKEN = re.compile(r'(name="csrf-token" content|name="csrf_token" value)="[^"]*"')
# Distinct answers: each rater's seven ratings and comment differ from every other's.
PATTERNS = [
    [A, A, A, A, A, A, A],
    [S, S, S, S, S, S, S],
    [B, B, B, B, B, B, B],
    [A, S, B, A, S, B, A],
    [B, A, S, B, A, S, B],
    [S, B, A, S, B, A, S],
    [A, B, A, B, A, B, A],
]


def _pages(ev_id):
    return {
        "supervisor": [
            f"/atasan/penilaian/{ev_id}",
            f"/atasan/penilaian/{ev_id}/360",
            f"/penilaian/{ev_id}",
            f"/penilaian/{ev_id}/dokumen",
            "/atasan/penilaian",
        ],
        "pegawai": [f"/penilaian/{ev_id}", f"/penilaian/{ev_id}/dokumen", "/penilaian"],
        "admin": [f"/penilaian/{ev_id}", f"/penilaian/{ev_id}/dokumen", "/admin/audit"],
        "auditor": [f"/penilaian/{ev_id}", "/admin/audit", "/admin/audit.csv"],
    }


def _views(client, login_as, world, ev_id):
    out = {}
    for role, urls in _pages(ev_id).items():
        login_as(world.accounts[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            text = response.get_data(as_text=True)
            if "html" in response.content_type:
                check_page(text)
            out[(role, url)] = TOKEN.sub("", text)
    return out


def _tables():
    """What an admin or auditor with the database file reads (the 360 and audit tables)."""
    out = {}
    for table in ("feedback_request", "feedback_answer", "audit_event"):
        cursor = database.execute_sql(f'SELECT * FROM "{table}"')
        names = [c[0] for c in cursor.description]
        out[table] = (names, sorted(map(repr, cursor.fetchall())))
    return out


def _settle(client, response):
    """Follow a redirect once, so that its flash message is not left for the next page."""
    if response.status_code == 303:
        client.get(response.location)
    return response.status_code


def _ask(client, login_as, world, ev_id, rater):
    login_as(world.accounts["supervisor"])
    response = client.post(f"/atasan/penilaian/{ev_id}/360", data={"rater": [rater.id]})
    return _settle(client, response)


def _answer(client, login_as, rater, ev_id, index):
    request = FeedbackRequest.get(
        (FeedbackRequest.evaluation == ev_id) & (FeedbackRequest.rater == rater.id)
    )
    login_as(rater.accounts.get())
    data = {f"rating-{v.value}": r.value for v, r in zip(Berakhlak, PATTERNS[index], strict=True)}
    data[f"comment-{Berakhlak.HARMONIS.value}"] = f"Komentar rekan nomor {index + 1}"
    return _settle(client, client.post(f"/umpan-balik-360/{request.id}", data=data))


def _summary_text(client, login_as, world, ev_id):
    login_as(world.accounts["pegawai"])
    tree = check_page(client.get(f"/penilaian/{ev_id}").text)
    peer = find_all(tree, "section", class_="feedback-group")[0]
    return "".join(peer.itertext())


def test_differencing_attack_learns_nothing_about_one_rater(client, login_as, world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    raters = make_peers(world, 7)
    rater_accounts = {r.accounts.get().id for r in raters}
    rater_nips = {r.nip for r in raters}

    for index, rater in enumerate(raters[:6]):
        assert _ask(client, login_as, world, ev.id, rater) == 303
        before, tables_before = _views(client, login_as, world, ev.id), _tables()
        assert _answer(client, login_as, rater, ev.id, index) == 303
        after, tables_after = _views(client, login_as, world, ev.id), _tables()
        # Every page of every viewer is byte-for-byte the same before and after the answer.
        for key in before:
            assert before[key] == after[key], f"{key} changed when rater {index + 1} answered"
        # No audit entry is written at answer time (none with a fine time next to the rater).
        assert tables_before["audit_event"] == tables_after["audit_event"]
        # The request row only flips "answered"; it keeps no time of answering.
        names = tables_after["feedback_request"][0]
        assert not {"answered_on", "answered_at"} & set(names)

    # The answer rows hold nothing that a join could use to find the rater.
    names = _tables()["feedback_answer"][0]
    assert set(names) == {"id", "evaluation_id", "group", "value", "rating", "comment"}
    rows = database.execute_sql(
        'SELECT "group", "value", "rating", "comment" FROM "feedback_answer"'
    ).fetchall()
    assert len(rows) == 6 * 7
    # No audit entry names a rater or a request (the rater's identity next to a time).
    for event in AuditEvent.select():
        assert event.actor_account_id not in rater_accounts, event.action
        assert event.actor_label not in rater_nips, event.action
        assert event.object_type != "feedback_request", event.action

    # The summary is released once, when the round is closed: six peers, all comments.
    assert "Komentar rekan nomor" not in _summary_text(client, login_as, world, ev.id)
    login_as(world.accounts["supervisor"])
    assert _settle(client, client.post(f"/atasan/penilaian/{ev.id}/360/tutup")) == 303
    released = _views(client, login_as, world, ev.id)
    text = _summary_text(client, login_as, world, ev.id)
    assert "6 jawaban" in text and "Komentar rekan nomor 6" in text

    # After the release nothing can change it: no new rater, no late answer.
    assert _ask(client, login_as, world, ev.id, raters[6]) == 422
    request = FeedbackRequest.get(
        (FeedbackRequest.evaluation == ev.id) & (FeedbackRequest.rater == raters[0].id)
    )
    FeedbackRequest.update(answered=False).where(FeedbackRequest.id == request.id).execute()
    assert _answer(client, login_as, raters[0], ev.id, 6) == 422
    again = _views(client, login_as, world, ev.id)
    for key in released:
        assert released[key] == again[key], f"{key} changed after the release"
    # The close is audited once, as a count (who answered is not listed).
    closes = list(AuditEvent.select().where(AuditEvent.action == "umpan_balik_360.ditutup"))
    assert len(closes) == 1 and '"dijawab":6' in closes[0].after


def test_summary_is_hidden_until_the_round_is_closed(world):
    ev = make_evaluation(world.people["pegawai"], make_period())
    raters = make_peers(world, 3)
    boss = Actor(world.accounts["supervisor"])
    fb.request_raters(boss, ev, [r.id for r in raters])
    for rater in raters:
        request = FeedbackRequest.get(
            (FeedbackRequest.evaluation == ev.id) & (FeedbackRequest.rater == rater.id)
        )
        fb.answer(Actor(rater.accounts.get()), request, {v.value: A.value for v in Berakhlak}, {})
    blocks = fb.summaries(ev)
    assert not any(b.shown for b in blocks)
    assert "ditutup" in blocks[0].scores_reason
    fb.close_round(boss, ev)
    peer = fb.summaries(ev)[0]
    assert peer.shown and peer.n == 3
