"""Issue 21: unit pickers show the hierarchy and never preselect a unit."""

import pytest

from kinerja.models.kiosk import Kiosk
from kinerja.models.service import ServiceType
from kinerja.org import unit_choices
from tests.builders import make_unit
from tests.html import check_page, find_all


def _login(app, account):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    return client


@pytest.fixture
def two_secretariats(world):
    """Two OPDs, each with a "Sekretariat" (as in the demo, where there are nine)."""
    for name, code in (("Dinas Kesehatan", "DINKES"), ("Dinas Pendidikan", "DISDIK")):
        opd = make_unit(name, code=code, kind="OPD", serves_public=True)
        make_unit("Sekretariat", code=f"{code}.SEK", kind="BIDANG", parent=opd, serves_public=True)
    return world


def test_unit_choices_name_the_parents_in_tree_order(two_secretariats):
    labels = [label for _value, label in unit_choices()]
    assert "Sekretariat — Dinas Kesehatan" in labels
    assert "Sekretariat — Dinas Pendidikan" in labels
    assert (
        "Seksi Identitas Penduduk — Bidang Pelayanan Pendaftaran Penduduk"
        " — Dinas Kependudukan dan Pencatatan Sipil"
    ) in labels
    assert labels.index("Dinas Kesehatan") < labels.index("Sekretariat — Dinas Kesehatan")
    assert len(set(labels)) == len(labels)
    assert unit_choices(blank="— Pilih unit —")[0] == ("", "— Pilih unit —")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/admin/layanan/baru", "unit"),
        ("/admin/layanan/impor", "unit"),
        ("/admin/kios/baru", "unit_id"),
    ],
)
def test_new_object_unit_select_is_required_unique_and_not_preselected(
    app, two_secretariats, url, name
):
    client = _login(app, two_secretariats.accounts["admin"])
    response = client.get(url)
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    (select,) = find_all(tree, "select", name=name)
    options = find_all(select, "option")
    labels = ["".join(o.itertext()).strip() for o in options]
    assert len(set(labels)) == len(labels), labels
    assert options[0].get("value") == "" and labels[0] == "— Pilih unit —"
    assert [o.get("value") for o in options if o.get("selected") is not None] in ([], [""])
    assert select.get("required") is not None


def test_service_and_kiosk_without_a_chosen_unit_are_refused(app, two_secretariats):
    client = _login(app, two_secretariats.accounts["admin"])
    before = ServiceType.select().count(), Kiosk.select().count()
    r = client.post("/admin/layanan/baru", data={"unit": "", "name": "Uji", "fee": "0"})
    assert r.status_code == 422 and "Pilih unit." in r.get_data(as_text=True)
    r = client.post("/admin/kios/baru", data={"unit_id": "", "name": "Kios uji"})
    assert r.status_code == 422 and "Pilih unit." in r.get_data(as_text=True)
    assert "Not a valid" not in r.get_data(as_text=True)
    assert (ServiceType.select().count(), Kiosk.select().count()) == before


def test_employee_unit_select_names_the_parents(app, two_secretariats):
    client = _login(app, two_secretariats.accounts["admin"])
    employee = two_secretariats.people["pegawai"]
    tree = check_page(client.get(f"/admin/pegawai/{employee.id}").get_data(as_text=True))
    (select,) = find_all(tree, "select", name="unit_id")
    options = find_all(select, "option")
    labels = ["".join(o.itertext()).strip() for o in options]
    assert len(set(labels)) == len(labels)
    assert "Sekretariat — Dinas Kesehatan" in labels
    (chosen,) = [o for o in options if o.get("selected") is not None]
    assert chosen.get("value") == str(employee.unit_id)


def test_other_unit_selects_name_the_parents(app, two_secretariats):
    """The organisation predikat form starts on "— Pilih unit —"; its labels are unique."""
    from tests.builders_evaluation import make_period

    period = make_period(number=1)
    client = _login(app, two_secretariats.accounts["admin"])
    page = client.get(f"/admin/predikat-organisasi?period_id={period.id}")
    tree = check_page(page.get_data(as_text=True))
    (select,) = find_all(tree, "select", name="unit_id")
    options = find_all(select, "option")
    labels = ["".join(o.itertext()).strip() for o in options]
    assert labels[0] == "— Pilih unit —" and options[0].get("value") == ""
    assert "Sekretariat — Dinas Kesehatan" in labels and len(set(labels)) == len(labels)
