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


def _snapshot_folder(world) -> str:
    """The stable open-data folder of the published snapshot."""
    from kinerja.models.public import PublicSnapshot
    from kinerja.queries.open_data import snapshot_key

    snapshot = PublicSnapshot.get(PublicSnapshot.period == world.objects["public_period"])
    return f"/publik/data/{snapshot_key(snapshot)}/"


ROUTES = {
    "public.home": get(ALL, "/publik/beranda"),
    "public.overview": get(ALL, "/publik"),
    "public.unit": get(ALL, "/publik/unit/DUKCAPIL"),
    "public.method": get(ALL, "/publik/metode"),
    "public.catalogue": get(ALL, "/publik/data"),
    "public.datapackage": get(ALL, lambda w: _snapshot_folder(w) + "datapackage.json"),
    "public.dcat": get(ALL, lambda w: _snapshot_folder(w) + "dcat.jsonld"),
    "public.snapshot_csv": get(ALL, lambda w: _snapshot_folder(w) + "unit/DUKCAPIL.csv"),
    "admin.publish": both(INTERNAL, {"admin"}, "/admin/publikasi"),
}
