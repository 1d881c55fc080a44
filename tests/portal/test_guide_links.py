"""Issue 23: every staff, supervisor and admin page that holds a state-changing form links
to the part of the guide (``/panduan#<anchor>``) that explains it, and that anchor exists.

Every page of the route × role table (tests/access) is fetched as each role allowed to see
it. A full page with a ``<form method="post">`` in its main content (the header's logout
button apart) must carry a link into ``/panduan#…`` whose anchor is an id of the guide page.

Exempt, and only these: the login, logout and password pages (``auth.*``: the person may not
be able to open the guide yet), the kiosk terminal (``kiosk.*``) and the citizen's phone
survey (``survey.*``) which citizens use, and the public pages (``public.*``, no login).
"""

from urllib.parse import urlsplit

from kinerja.models.account import Account
from tests.access import table
from tests.html import parse
from tests.test_access_matrix import ROLE_PERSON, ROLES

EXEMPT_BLUEPRINTS = ("auth.", "kiosk.", "survey.", "public.")


def _client(app, world, role):
    client = app.test_client()
    account = Account.get_by_id(world.accounts[ROLE_PERSON[role]].id)
    with client.session_transaction() as session:
        session["_user_id"] = f"{account.id}.{account.session_nonce}"
    return client


def _guide_anchors(app, world) -> set[str]:
    response = _client(app, world, "pegawai").get("/panduan")
    assert response.status_code == 200
    tree = parse(response.get_data(as_text=True))
    return {el.get("id") for el in tree.iter() if el.get("id")}


def _post_forms(tree) -> list:
    main = next(tree.iter("main"), None)
    if main is None:
        return []
    return [f for f in main.iter("form") if (f.get("method") or "").lower() == "post"]


def _guide_links(tree) -> list[str]:
    anchors = []
    for a in tree.iter("a"):
        parts = urlsplit(a.get("href") or "")
        if parts.path == "/panduan" and parts.fragment:
            anchors.append(parts.fragment)
    return anchors


def test_every_page_with_a_form_links_to_an_existing_guide_anchor(app, world):
    anchors = _guide_anchors(app, world)
    routes, setups = table()
    for setup in setups:
        setup(world)
    problems = []
    checked = 0
    for role in ROLES:
        if role == "anonymous":
            continue
        for endpoint, route in sorted(routes.items()):
            if endpoint.startswith(EXEMPT_BLUEPRINTS) or role not in route.allowed.get("GET", ()):
                continue
            url = route.url(world) if callable(route.url) else route.url
            response = _client(app, world, role).get(url, headers=route.headers)
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            tree = parse(response.get_data(as_text=True))
            if not _post_forms(tree):
                continue
            checked += 1
            links = _guide_links(tree)
            where = f"GET {url} [{endpoint}] as {role}"
            if not links:
                problems.append(f"{where}: form without a '?' link to /panduan#…")
            problems += [f"{where}: /panduan#{a} does not exist" for a in links if a not in anchors]
    assert checked > 20  # the walk still reaches the pages with forms
    assert not problems, "\n".join(sorted(set(problems)))


def test_help_link_has_an_accessible_name(app, world):
    tree = parse(_client(app, world, "pegawai").get("/survei-denyut").get_data(as_text=True))
    link = next(a for a in tree.iter("a") if "help-link" in (a.get("class") or ""))
    assert link.get("aria-label") == "Bantuan: survei denyut kepercayaan"
    assert urlsplit(link.get("href")).fragment == "survei-denyut"
