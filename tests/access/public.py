"""Access table: public transparency pages (everyone, no login) and the publish page."""

from datetime import date

from tests.access import ALL, INTERNAL, both, get


def setup(world):
    """A published snapshot with one unit page to open."""
    from kinerja.services.publish import publish
    from tests.builders_public import add_answers, make_period

    period = make_period(2026, 1, status="DITUTUP")
    add_answers(world.units["opd"], date(2026, 2, 3), 12)
    publish(period)
    world.objects["public_period"] = period


ROUTES = {
    "public.overview": get(ALL, "/publik"),
    "public.unit": get(ALL, "/publik/unit/DUKCAPIL"),
    "public.method": get(ALL, "/publik/metode"),
    "public.catalogue": get(ALL, "/publik/data"),
    "admin.publish": both(INTERNAL, {"admin"}, "/admin/publikasi"),
}
