"""The distribution pattern is edited in a form (one percent per bound), not as JSON."""

from kinerja.enums import OrgPredikat
from kinerja.models.audit import AuditEvent
from kinerja.models.evaluation import DistributionPatternVersion
from kinerja.scoring import DEFAULT_PATTERN
from kinerja.services import calibration as calib
from tests.html import check_page, find_all


def _defaults() -> dict[str, str]:
    return {
        rule.code: str(rule.percent)
        for rules in DEFAULT_PATTERN.values()
        for rule in rules
        if rule.percent is not None
    }


def test_the_page_has_one_percent_field_per_bound_and_no_json(world, login_as):
    client = login_as(world.accounts["admin"])
    tree = check_page(client.get("/admin/pola-distribusi").get_data(as_text=True))
    assert not find_all(tree, "textarea")
    inputs = {i.get("name"): i for i in find_all(tree, "input") if i.get("inputmode")}
    assert set(inputs) == set(_defaults())
    assert inputs["ISTIMEWA.SANGAT_BAIK_MAKS"].get("value") == "70"
    labels = [("".join(el.itertext())) for el in find_all(tree, "label")]
    assert "Istimewa: Sangat Baik paling banyak (%)" in labels


def test_a_changed_bound_is_saved_as_a_new_audited_version(world, login_as):
    client = login_as(world.accounts["admin"])
    values = _defaults() | {"ISTIMEWA.SANGAT_BAIK_MAKS": "65,5", "note": "uji"}
    assert client.post("/admin/pola-distribusi", data=values).status_code == 303
    row = DistributionPatternVersion.get(DistributionPatternVersion.active)
    _, rules = calib.active_pattern()
    (rule,) = [r for r in rules[OrgPredikat.ISTIMEWA] if r.code == "ISTIMEWA.SANGAT_BAIK_MAKS"]
    assert str(rule.percent) == "65.5" and row.note == "uji"
    event = AuditEvent.get(AuditEvent.action == "pola_distribusi.disimpan")
    assert "Istimewa: Sangat Baik paling banyak" in event.after and "65,5 %" in event.after
    assert "70 %" in event.before


def test_bad_bounds_are_named_in_indonesian_and_nothing_is_saved(world, login_as):
    client = login_as(world.accounts["admin"])
    versions = DistributionPatternVersion.select().count()
    values = _defaults() | {
        "ISTIMEWA.SANGAT_BAIK_MAKS": "abc",
        "BAIK.BAIK_MAKS": "120",
        "KURANG.KURANG_MIN": "95",  # with Butuh Perbaikan at least 10 %: 105 %
        "BUTUH_PERBAIKAN.SANGAT_BAIK_MAKS": "",
    }
    response = client.post("/admin/pola-distribusi", data=values)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    check_page(text)
    assert "Isi dengan angka, mis. 70 atau 12,5." in text
    assert "Harus antara 0 dan 100." in text
    assert "Wajib diisi (0 sampai 100)." in text
    assert DistributionPatternVersion.select().count() == versions
    values = _defaults() | {"KURANG.KURANG_MIN": "95"}
    text = client.post("/admin/pola-distribusi", data=values).get_data(as_text=True)
    assert "Kurang: batas paling sedikit berjumlah 105 %, lebih dari 100 %." in text
    values = _defaults() | {"ISTIMEWA.SANGAT_BAIK_MAKS": "15"}
    text = client.post("/admin/pola-distribusi", data=values).get_data(as_text=True)
    assert "tidak boleh di bawah 20 %" in text
    assert DistributionPatternVersion.select().count() == versions


def test_auditors_cannot_save_a_pattern(world, login_as):
    client = login_as(world.accounts["auditor"])
    assert client.post("/admin/pola-distribusi", data=_defaults()).status_code == 403
