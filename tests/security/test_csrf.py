"""CSRF: every POST route of app.url_map refuses a missing, wrong or foreign token with 400."""

import re

import pytest

from portal.security import csrf
from tests.security.routes import client_as, dummy_url, rules

# Views exempt from CSRF on purpose, each with why it is safe. A new exemption fails
# test_csrf_exemptions_are_documented until it is listed here with its reason.
DOCUMENTED_EXEMPTIONS = {
    "kiosk.api_answer": (
        "JSON from a paired kiosk device: authenticated by a SameSite=Strict device cookie "
        "plus the X-Kiosk-Key header that a cross-site form cannot set; a JSON content "
        "type forces a CORS preflight."
    ),
}


def _exempt_endpoints(app) -> set[str]:
    exempt = set()
    for endpoint, view in app.view_functions.items():
        name = f"{view.__module__}.{view.__name__}"
        if name in csrf._exempt_views or view.__module__ in csrf._exempt_blueprints:
            exempt.add(endpoint)
    for endpoint in app.view_functions:
        if endpoint.split(".")[0] in csrf._exempt_blueprints:
            exempt.add(endpoint)
    return exempt


def test_csrf_exemptions_are_documented(app):
    exempt = _exempt_endpoints(app)
    undocumented = exempt - set(DOCUMENTED_EXEMPTIONS)
    assert not undocumented, f"CSRF-exempt views without a documented reason: {undocumented}"


def _protected_post_urls(app):
    exempt = _exempt_endpoints(app)
    return [(ep, dummy_url(app, rule)) for ep, rule in rules(app, "POST") if ep not in exempt]


def _token(client, url="/tidak-ada") -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match, "no csrf-token meta in the page"
    return match.group(1)


@pytest.mark.parametrize("role", ["anonymous", "admin", "pegawai"])
def test_every_post_route_refuses_missing_and_wrong_tokens(app, world, role):
    app.config["WTF_CSRF_ENABLED"] = True
    client = client_as(app, world, role)
    own_token = _token(client)
    # A token that is valid, but for another session.
    foreign_token = _token(client_as(app, world, "supervisor"))
    assert foreign_token != own_token
    failures = []
    for endpoint, url in _protected_post_urls(app):
        attempts = {
            "missing": ({}, {}),
            "wrong": ({"csrf_token": "palsu"}, {}),
            "wrong header": ({}, {"X-CSRFToken": "palsu"}),
            "foreign": ({"csrf_token": foreign_token}, {}),
            "htmx foreign": ({}, {"X-CSRFToken": foreign_token, "HX-Request": "true"}),
        }
        for name, (data, headers) in attempts.items():
            response = client.post(url, data={"x": "1", **data}, headers=headers)
            if response.status_code != 400:
                failures.append(f"POST {url} [{endpoint}] {name} token: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_real_token_is_accepted(app, world):
    # The refusals above are about the token, not about the route: with the page's token
    # the same request gets past the CSRF check (whatever the view then answers).
    app.config["WTF_CSRF_ENABLED"] = True
    client = client_as(app, world, "admin")
    token = _token(client)
    response = client.post("/keluar", data={"csrf_token": token})
    assert response.status_code == 303


def test_csrf_error_page_is_indonesian(csrf_app):
    response = csrf_app.test_client().post("/masuk", data={"nip": "1", "password": "x"})
    assert response.status_code == 400
    assert "Token keamanan formulir (CSRF)" in response.get_data(as_text=True)


def test_exempt_kiosk_api_still_refuses_a_cross_site_post(app):
    if "kiosk.api_answer" not in app.view_functions:
        pytest.skip("kiosk API not present")
    client = app.test_client()
    # What a cross-site form can send: a form body, no device cookie, no key header.
    form = client.post("/kios/api/jawaban", data={"jawaban": "4"})
    assert 400 <= form.status_code < 500
    as_json = client.post("/kios/api/jawaban", json={"jawaban": [4]})
    assert as_json.status_code in (401, 403)
