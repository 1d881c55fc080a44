"""The task list: the providers read few columns in few statements and stay exact."""

from kinerja.models.evaluation import MessageRole, Objection, ObjectionMessage
from kinerja.queries.tasks import tasks_for
from tests.builders import make_employee
from tests.builders_evaluation import actor_of, make_evaluation, make_period


def _titles(world, key):
    return [t.title for t in tasks_for(actor_of(world, key))]


def test_objection_explanations_follow_the_messages(world):
    """An explanation requested from the employee or the Pejabat Penilai is a task until
    they give it; the messages of several objections are read in one statement."""
    period = make_period()
    ev = make_evaluation(world.people["pegawai"], period, status="KEBERATAN")
    objection = Objection.create(evaluation=ev, reasons="Tidak sesuai.")
    atasan = world.people["supervisor"]
    for role in (MessageRole.EMPLOYEE, MessageRole.PENILAI):
        ObjectionMessage.create(
            objection=objection, author=atasan, role="ATASAN", text="Jelaskan.", requested_from=role
        )
    assert "Beri penjelasan atas keberatan Anda" in _titles(world, "pegawai")
    assert "Beri penjelasan atas keberatan" in _titles(world, "supervisor")

    ObjectionMessage.create(
        objection=objection, author=atasan, role="PENILAI", text="Sudah sesuai SKP."
    )
    assert "Beri penjelasan atas keberatan" not in _titles(world, "supervisor")
    assert "Beri penjelasan atas keberatan Anda" in _titles(world, "pegawai")


def test_tasks_statements_do_not_grow_with_objections(world, count_queries):
    period = make_period()
    ev = make_evaluation(world.people["pegawai"], period, status="KEBERATAN")
    Objection.create(evaluation=ev, reasons="Tidak sesuai.")
    actor = actor_of(world, "supervisor")
    with count_queries() as before:
        tasks_for(actor)
    boss = world.people["supervisor"]
    for i in range(3):
        person = make_employee(f"Anggota {i}", unit=world.units["seksi"], supervisor=boss)
        other = Objection.create(
            evaluation=make_evaluation(person, period, status="KEBERATAN"), reasons="Tidak."
        )
        ObjectionMessage.create(
            objection=other,
            author=boss,
            role="ATASAN",
            text=f"Jelaskan {i}.",
            requested_from=MessageRole.PENILAI,
        )
    actor = actor_of(world, "supervisor")
    with count_queries() as after:
        tasks = tasks_for(actor)
    assert [t.title for t in tasks].count("Beri penjelasan atas keberatan") == 3
    assert after.count == before.count  # every objection's messages in one statement
