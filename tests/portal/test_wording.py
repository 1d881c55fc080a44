"""Issue 21: wording a citizen or an employee reads (kiosk buttons, closed kiosk, plans)."""

from pathlib import Path

from tests.builders_kiosk import make_kiosk
from tests.html import check_page, find_all

ROOT = Path(__file__).resolve().parents[2]


def _kiosk_page(client, world, **kwargs):
    _, token = make_kiosk(world, **kwargs)
    from tests.portal.test_kiosk_views import _device

    _device(client, token)
    return client.get("/kios/").get_data(as_text=True)


def _buttons(html):
    return {"".join(b.itertext()).strip() for b in find_all(check_page(html), "button")}


def test_kiosk_buttons_say_what_they_do(client, world):
    buttons = _buttons(_kiosk_page(client, world))
    assert {"Lewati pertanyaan ini", "Kirim penilaian", "Kirim tanpa komentar"} <= buttons
    assert not {"Lewati", "Selesai", "Kirim"} & buttons


def test_closed_kiosk_thanks_the_citizen(client, world):
    html = _kiosk_page(client, world, hours={})
    assert (
        "Terima kasih. Layanan sedang tutup; penilaian hanya dapat diberikan pada jam layanan."
        in html
    )
    assert "tidak dihitung" not in html


def test_plans_heading_is_standard_indonesian():
    text = (ROOT / "templates/staff/evaluation/plans.html").read_text(encoding="utf-8")
    assert "tanggung jawabi" not in text
    assert "Rencana yang menjadi tanggung jawab Anda" in text
