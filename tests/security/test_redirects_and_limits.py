"""Open redirects through ``next``, oversized and many-part bodies, path traversal."""

import json
from urllib.parse import quote, urlsplit

import pytest

from portal.auth.views import safe_next
from tests.builders import TEST_PASSWORD, make_account, make_employee
from tests.security.routes import client_as, dummy_url, rules

EVIL_TARGETS = [
    "https://jahat.example/",
    "//jahat.example/",
    "///jahat.example/",
    "/\\jahat.example/",
    "\\\\jahat.example",
    "http:jahat.example",
    "https:/jahat.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fjahat.example",
    "/\t/jahat.example",
    "/\n/jahat.example",
    " //jahat.example",
    "jahat.example",
    "%2F%2Fjahat.example",
    "https://127.0.0.1@jahat.example/",
    "/beranda@jahat.example",
]


def _external(location: str) -> bool:
    """Whether a browser would leave the portal following ``location``.

    Browsers drop tabs and newlines, trim spaces and read a backslash as a slash.
    """
    cleaned = "".join(c for c in location if c not in "\t\n\r").strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return True
    return bool(parts.netloc and parts.netloc != "localhost") or cleaned.startswith("//")


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_next_never_leaves_the_portal_after_login(client, target):
    person = make_employee()
    make_account(person)
    response = client.post(
        f"/masuk?next={quote(target, safe='')}",
        data={"nip": person.nip, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert not _external(location), f"{target!r} → {location!r}"


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_next_never_leaves_the_portal_when_already_logged_in(app, world, target):
    client = client_as(app, world, "pegawai")
    response = client.get(f"/masuk?next={quote(target, safe='')}")
    assert response.status_code == 302
    assert not _external(response.headers["Location"]), target


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_safe_next_keeps_only_local_paths(app, target):
    with app.test_request_context():
        result = safe_next(target)
    assert result.startswith("/") and not result.startswith(("//", "/\\")), result
    assert not _external(result)


def test_safe_next_keeps_a_local_path(app):
    with app.test_request_context():
        assert safe_next("/skp?tahun=2026") == "/skp?tahun=2026"


# --- oversized bodies --------------------------------------------------------------------


def test_ten_megabytes_refused_on_every_post_route(app, world):
    # As in production, with CSRF on: the form is parsed (and refused) before any view.
    app.config["WTF_CSRF_ENABLED"] = True
    client = client_as(app, world, "admin")
    body = b"x=" + b"1" * (10 * 1024 * 1024)
    failures = []
    for endpoint, rule in rules(app, "POST"):
        url = dummy_url(app, rule)
        for content_type in ("application/x-www-form-urlencoded", "application/json"):
            response = client.post(url, data=body, content_type=content_type)
            # 415: a JSON API refuses a form body before reading it.
            if response.status_code not in (400, 413, 415):
                failures.append(f"POST {url} [{endpoint}] {content_type}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_many_part_form_refused_on_every_post_route(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client = client_as(app, world, "admin")
    many_parts = {f"f{i}": "x" for i in range(3000)}
    failures = []
    for endpoint, rule in rules(app, "POST"):
        url = dummy_url(app, rule)
        response = client.post(url, data=many_parts, content_type="multipart/form-data")
        if response.status_code not in (400, 413, 415):
            failures.append(f"POST {url} [{endpoint}] 3000 parts: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_nested_and_big_bodies_never_give_500(app, world):
    # CSRF off here, so that every view really receives these bodies.
    client = client_as(app, world, "admin")
    bodies = {
        "nested field name": ({"a" + "[b]" * 20_000: "x"}, "multipart/form-data"),
        "nested JSON": ("[" * 50_000 + "]" * 50_000, "application/json"),
        "deep JSON object": ('{"a":' * 20_000 + "1" + "}" * 20_000, "application/json"),
        "3 MB JSON": (json.dumps({"k": ["x" * 100] * 30_000}), "application/json"),
        "broken JSON": ('{"a": [1, 2', "application/json"),
        "binary": (bytes(range(256)) * 100, "application/octet-stream"),
    }
    failures = []
    for endpoint, rule in rules(app, "POST"):
        url = dummy_url(app, rule)
        for name, (data, content_type) in bodies.items():
            response = client.post(url, data=data, content_type=content_type)
            if response.status_code >= 500:
                failures.append(f"POST {url} [{endpoint}] {name}: {response.status_code}")
    assert not failures, "\n".join(failures)


# --- path traversal ------------------------------------------------------------------------

TRAVERSALS = [
    "/static/../portal/config.py",
    "/static/..%2fportal%2fconfig.py",
    "/static/%2e%2e/portal/config.py",
    "/static/%2e%2e%2fportal%2fconfig.py",
    "/static/css/../../portal/config.py",
    "/static/..%5cportal%5cconfig.py",
    "/static/....//portal/config.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/..%252fportal%252fconfig.py",
    "/static/css/app.css%00.py",
    "/static/../instance/kinerja.sqlite3",
    "/../portal/config.py",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_path_traversal_in_static_is_refused(client, url):
    # Werkzeug may first merge double slashes with a 308 to a local path; follow it.
    response = client.get(url, follow_redirects=True)
    body = response.get_data()
    response.close()
    for hop in response.history:
        assert not _external(hop.headers["Location"]), hop.headers["Location"]
        hop.close()
    assert response.status_code in (400, 404), f"{url}: {response.status_code}"
    assert b"SECRET_KEY" not in body and b"root:" not in body and b"SQLite" not in body


def test_path_traversal_in_every_path_argument(app, world):
    # Any route with a path/string argument (a download, say) gets traversal attempts.
    client = client_as(app, world, "admin")
    failures = []
    for endpoint, rule in rules(app, "GET"):
        kinds = {name: type(c).__name__ for name, c in rule._converters.items()}
        targets = [n for n, k in kinds.items() if k in ("PathConverter", "UnicodeConverter")]
        for name in targets:
            for value in ("../../portal/config.py", "..%2f..%2fportal%2fconfig.py", "/etc/passwd"):
                url = dummy_url(app, rule, **{name: value})
                response = client.get(url)
                body = response.get_data()
                response.close()
                if response.status_code >= 500 or b"SECRET_KEY" in body or b"root:x" in body:
                    failures.append(f"GET {url} [{endpoint}]: {response.status_code}")
    assert not failures, "\n".join(failures)
