"""Access table: the citizen's SKM from a receipt's QR link (no login; the link's token is
the permission, tests/portal/test_survey_views.py covers unknown, used and expired links)."""

from datetime import timedelta

from tests.access import ALL, both, get

TOKEN = "A" * 43


def setup(world):
    """An open survey link for a completed request of the bidang."""
    from kinerja.clock import utcnow
    from kinerja.models.kiosk import SurveyToken
    from kinerja.services.survey import token_hash
    from tests.builders_service import make_request, make_service_type, wib

    kind = make_service_type(world.units["bidang"], "Legalisir uji akses", value=1)
    done = make_request(kind, wib(2026, 11, 3, 9), wib(2026, 11, 3, 10))
    SurveyToken.create(
        token_hash=token_hash(TOKEN),
        service_request_id=done.id,
        unit=world.units["bidang"],
        service_type_id=kind.id,
        expires_at=utcnow() + timedelta(days=7),
    )


ROUTES = {
    "survey.form": both(ALL, ALL, f"/survei/{TOKEN}"),
    "survey.thanks": get(ALL, "/survei/terima-kasih"),
}
