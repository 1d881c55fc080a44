"""Issue 23: the guide shows the figures in force (never hard-coded), the first-login welcome
shows once and is dismissed with a POST, and the pulse survey pages."""

from kinerja import settings
from kinerja.enums import PeriodStatus, PulseQuestion
from kinerja.models.account import Account
from kinerja.models.audit import AuditEvent
from kinerja.scoring import KUADRAN
from kinerja.services import pulse
from tests.builders_pulse import ALL_FOURS, make_pulse_period, store_answers
from tests.html import check_page, texts


def _tree(response):
    return check_page(response.get_data(as_text=True))


def _figure(tree, element_id):
    (el,) = [e for e in tree.iter() if e.get("id") == element_id]
    return " ".join("".join(el.itertext()).split())


def _store_setting(key, value):
    settings.store(key, value)


def test_guide_figures_come_from_settings_and_code(client, login_as, world):
    login_as(world.accounts["pegawai"])
    tree = _tree(client.get("/panduan"))
    assert _figure(tree, "angka-keberatan") == f"{settings.get('objection_days')} hari"
    assert _figure(tree, "angka-skor-360") == str(settings.get("feedback_scores_min"))
    assert _figure(tree, "angka-denyut") == str(pulse.PULSE_MIN_ANSWERS)
    floor = settings.SPECS["feedback_scores_min"].minimum
    assert _figure(tree, "angka-batas-skor-360") == str(floor)
    # The admin changes the values: the guide follows without an edit.
    _store_setting("objection_days", 21)
    _store_setting("feedback_scores_min", 4)
    _store_setting("feedback_comments_min", 7)
    _store_setting("public_min_n", 12)
    _store_setting("rating_band_above", 120)
    tree = _tree(client.get("/panduan"))
    assert _figure(tree, "angka-keberatan") == "21 hari"
    assert _figure(tree, "angka-skor-360") == "4"
    assert _figure(tree, "angka-komentar-360") == "7"
    assert _figure(tree, "angka-publik") == "12"
    assert _figure(tree, "angka-di-atas") == "120%"


def test_guide_kuadran_table_is_the_scoring_table(client, login_as, world):
    login_as(world.accounts["pegawai"])
    tree = _tree(client.get("/panduan"))
    (table,) = [t for t in tree.iter("table") if "guide-kuadran" in (t.get("class") or "")]
    header = [" ".join(th.itertext()).strip() for th in table.find("thead").iter("th")][1:]
    shown = {}
    for row in table.find("tbody").iter("tr"):
        hasil = "".join(row.find("th").itertext()).strip()
        for perilaku, cell in zip(header, row.iter("td"), strict=True):
            shown[(hasil, perilaku)] = "".join(cell.itertext()).strip()
    expected = {(h.label, p.label): predikat.label for (h, p), predikat in KUADRAN.items()}
    assert shown == expected


def test_guide_is_in_the_navigation_and_on_home(client, login_as, world):
    for who in ("pegawai", "admin"):
        login_as(world.accounts[who])
        tree = _tree(client.get("/beranda"))
        nav = next(e for e in tree.iter("nav") if e.get("id") == "menu-utama")
        assert "/panduan" in [a.get("href") for a in nav.iter("a")]
        main = next(tree.iter("main"))
        assert "/panduan" in [a.get("href") for a in main.iter("a")]


def test_welcome_shows_once_until_dismissed(client, login_as, world):
    account = world.accounts["pegawai"]
    login_as(account)
    tree = _tree(client.get("/beranda"))
    assert "Selamat datang di Kinerja Sibolga" in texts(tree, "h2")
    response = client.post("/panduan/sambutan", data={"next": "panduan"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/panduan")
    assert Account.get_by_id(account.id).welcomed_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "account.welcome_seen").count() == 1
    tree = _tree(client.get("/beranda"))
    assert "Selamat datang di Kinerja Sibolga" not in texts(tree, "h2")
    # A second dismissal changes nothing and is not audited again.
    assert client.post("/panduan/sambutan").status_code == 303
    assert AuditEvent.select().where(AuditEvent.action == "account.welcome_seen").count() == 1
    # Another account still gets its own welcome.
    login_as(world.accounts["peer"])
    assert "Selamat datang di Kinerja Sibolga" in texts(_tree(client.get("/beranda")), "h2")


def test_welcome_dismissal_needs_csrf(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        account = world.accounts["pegawai"]
        with client.session_transaction() as session:
            session["_user_id"] = f"{account.id}.{account.session_nonce}"
        assert client.post("/panduan/sambutan").status_code == 400
        assert Account.get_by_id(account.id).welcomed_at is None
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_pulse_task_form_answer_and_second_answer_refused(client, login_as, world):
    make_pulse_period()
    login_as(world.accounts["pegawai"])
    home = _tree(client.get("/beranda"))
    assert "/survei-denyut" in [a.get("href") for a in home.iter("a")]
    form = _tree(client.get("/survei-denyut"))
    radios = [i for i in form.iter("input") if i.get("type") == "radio"]
    assert len(radios) == 5 * len(PulseQuestion)
    data = {f"score-{q}": v for q, v in ALL_FOURS.items()} | {"comment": "Baik"}
    response = client.post("/survei-denyut", data=data)
    assert response.status_code == 303
    again = client.post("/survei-denyut", data=data)
    assert again.status_code == 409
    assert "sudah mengisi survei denyut kepercayaan" in again.get_data(as_text=True)
    home = _tree(client.get("/beranda"))
    assert "/survei-denyut" not in [a.get("href") for a in home.iter("a")]


def test_pulse_empty_answer_is_a_clear_422(client, login_as, world):
    make_pulse_period()
    login_as(world.accounts["pegawai"])
    response = client.post("/survei-denyut", data={})
    assert response.status_code == 422
    assert "Pilih jawaban untuk pernyataan" in response.get_data(as_text=True)


def test_results_page_decimal_comma_and_access(client, login_as, world):
    period = make_pulse_period(status=PeriodStatus.DITUTUP)
    store_answers(period, world.units["seksi"], 3, score=4)
    store_answers(period, world.units["seksi"], 3, score=5, comment="Atasan terbuka")
    login_as(world.accounts["supervisor"])
    tree = _tree(client.get("/survei-denyut/hasil"))
    cells = texts(tree, "td")
    assert "4,50" in cells
    assert "Atasan terbuka" in texts(tree, "li")
    login_as(world.accounts["pegawai"])
    assert client.get("/survei-denyut/hasil").status_code == 403
