"""Every admin page linked from the console menu keeps the console layout: the menu
(nav "Menu konsol admin") is there and marks its section with aria-current="page"."""

import pytest

from kinerja.models.service import ImportBatch
from tests.builders_kiosk import make_kiosk
from tests.builders_service import make_service_type
from tests.html import check_page, find_all, texts

MENU = "Menu konsol admin"


def _setup(world):
    kiosk, _token = make_kiosk(world)
    service_type = make_service_type(world.units["bidang"])
    batch = ImportBatch.create(
        unit=world.units["bidang"], filename="uji.csv", content="nomor,layanan\n"
    )
    return {"kiosk": kiosk.id, "service_type": service_type.id, "batch": batch.id}


# (method, url, the menu entry marked current)
PAGES = [
    ("get", "/admin/kios", "Kios SKM"),
    ("get", "/admin/kios/baru", "Kios SKM"),
    ("get", "/admin/kios/{kiosk}", "Kios SKM"),
    ("post", "/admin/kios/{kiosk}/kode", "Kios SKM"),
    ("get", "/admin/layanan", "Layanan"),
    ("get", "/admin/layanan/baru", "Layanan"),
    ("get", "/admin/layanan/{service_type}/ubah", "Layanan"),
    ("get", "/admin/layanan/impor", "Layanan"),
    ("get", "/admin/layanan/impor/{batch}", "Layanan"),
    ("get", "/admin/layanan/libur", "Layanan"),
    ("get", "/admin/publikasi", "Data Publik"),
    ("get", "/admin/predikat-organisasi", "Predikat Organisasi"),
    ("get", "/admin/pola-distribusi", "Pola Distribusi"),
]


@pytest.mark.parametrize(("method", "url", "current"), PAGES)
def test_admin_page_keeps_the_console_menu(world, login_as, method, url, current):
    ids = _setup(world)
    client = login_as(world.accounts["admin"])
    response = getattr(client, method)(url.format(**ids))
    assert response.status_code == 200
    tree = check_page(response.get_data(as_text=True))
    menus = find_all(tree, "nav", aria_label=MENU)
    assert len(menus) == 1
    marked = [a for a in menus[0].iter("a") if a.get("aria-current") == "page"]
    assert ["".join(a.itertext()).strip() for a in marked] == [current]
    # The page's own heading is inside the console, after the menu.
    assert texts(tree, "h1")


def test_auditor_sees_the_console_menu_on_kiosk_pages(world, login_as):
    ids = _setup(world)
    client = login_as(world.accounts["auditor"])
    for url in ("/admin/kios", f"/admin/kios/{ids['kiosk']}"):
        tree = check_page(client.get(url).get_data(as_text=True))
        assert find_all(tree, "nav", aria_label=MENU)
        assert "Anda membuka konsol sebagai Auditor" in " ".join(texts(tree, "p"))
