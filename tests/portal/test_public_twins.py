"""The HTML, CSV and JSON twins of every public figure agree once rounded (issue 16).

Property: for random kiosk answers and service requests, every figure a unit page shows
(each is a ``<data value=…>`` element) is written exactly as ``format_number`` writes the
published value; the JSON and CSV twins carry that same published value; and the published
value is the exact figure computed here from the raw answers, rounded once, half-up.
"""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.formatting import format_number, round_half_up
from kinerja.models.kiosk import KioskResponse
from kinerja.models.period import Period
from kinerja.models.public import PublicSnapshot
from kinerja.models.service import ServiceRequest, ServiceType
from kinerja.services.publish import publish
from tests.builders_public import (
    add_answers,
    add_requests,
    make_period,
    make_service_type,
    noon,
)
from tests.html import check_page
from tests.public_checks import csv_dicts, csv_number, loads

ANSWER = st.tuples(*[st.integers(1, 4)] * 9)


def _published_value(json_value) -> Decimal:
    return Decimal(repr(json_value)) if isinstance(json_value, float) else Decimal(json_value)


def _html_figures(client, url) -> list[tuple[Decimal, str]]:
    tree = check_page(client.get(url).get_data(as_text=True))
    return [(Decimal(el.get("value")), "".join(el.itertext())) for el in tree.iter("data")]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    answers=st.lists(ANSWER, min_size=10, max_size=40),
    on_time=st.integers(5, 25),
    late=st.integers(0, 20),
)
def test_every_public_figure_agrees_in_html_csv_and_json(client, world, answers, on_time, late):
    PublicSnapshot.delete().execute()
    KioskResponse.delete().execute()
    ServiceRequest.delete().execute()
    ServiceType.delete().execute()
    opd = world.units["opd"]
    period = Period.get_or_none(year=2026, number=2) or make_period(2026, 2)
    day = date(2026, 5, 6)
    for values in answers:
        add_answers(opd, day, 1, values=values)
    service = make_service_type(opd)
    add_requests(service, noon(day), on_time)
    add_requests(service, noon(day) - timedelta(days=30), late, hours=24 * 40)
    publish(period)

    # the exact figures, from the raw answers and requests
    n = len(answers)
    nrr = [Fraction(sum(a[i] for a in answers), n) for i in range(9)]
    konversi = sum(nrr) / 9 * 25
    received = on_time + late
    expected = {
        "ikm": round_half_up(konversi, 2),
        **{f"U{i + 1}": round_half_up(v, 2) for i, v in enumerate(nrr)},
    }

    data = loads(client.get(f"/publik/unit/DUKCAPIL.json?periode={period.id}"))
    assert data["ikm"]["status"] == "OK" and data["ikm"]["n"] == n
    published = {"ikm": _published_value(data["ikm"]["nilai"])}
    published |= {u["kode"]: _published_value(u["nilai"]) for u in data["unsur"]}
    assert published == expected
    if data["layanan"]["status"] == "OK" and 0 < late <= 4:
        assert data["layanan"]["nilai"] is None  # 1–4 late cases: the rate would name them
    elif data["layanan"]["status"] == "OK":
        on_time_rate = round_half_up(Fraction(on_time * 100, received), 2)
        assert _published_value(data["layanan"]["nilai"]) == on_time_rate

    csv_rows = csv_dicts(
        client.get(f"/publik/unit/DUKCAPIL.csv?periode={period.id}").get_data(as_text=True)
    )
    csv_values = {
        (r["bagian"], r["rincian"], r["ukuran"]): csv_number(r["nilai"])
        for r in csv_rows
        if r["status"] == "OK" and r["ukuran"] in ("ikm_konversi", "nrr", "persen_tepat_waktu")
    }
    assert csv_values[("ikm", "", "ikm_konversi")] == published["ikm"]
    for u in data["unsur"]:
        assert csv_values[("unsur", f"{u['kode']} {u['nama']}", "nrr")] == published[u["kode"]]
    if data["layanan"]["status"] == "OK" and data["layanan"]["nilai"] is not None:
        assert csv_values[("layanan", "", "persen_tepat_waktu")] == _published_value(
            data["layanan"]["nilai"]
        )

    shown = _html_figures(client, f"/publik/unit/DUKCAPIL?periode={period.id}")
    assert shown, "the unit page shows no figure"
    json_values = {v for v in published.values()}
    for value, text in shown:
        assert text.removesuffix(" %") == format_number(value, 2)
    assert json_values <= {value for value, _ in shown}
