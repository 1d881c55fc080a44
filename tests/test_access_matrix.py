"""Every registered route × every role against the expected table in tests/access/."""

import pytest

from kinerja.models.account import Account
from tests.access import table

ROLES = ("anonymous", "pegawai", "supervisor", "atasan", "admin", "auditor")
ROLE_PERSON = {
    "pegawai": "pegawai",
    "supervisor": "supervisor",
    "atasan": "atasan",
    "admin": "admin",
    "auditor": "auditor",
}


def _registered(app):
    rules = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))
        rules.setdefault(rule.endpoint, set()).update(methods)
    return rules


def test_every_route_has_an_entry(app):
    routes, _ = table()
    registered = _registered(app)
    missing = sorted(set(registered) - set(routes))
    assert not missing, f"routes without an access entry: {missing}"
    stale = sorted(set(routes) - set(registered))
    assert not stale, f"access entries for routes that do not exist: {stale}"
    for endpoint, methods in registered.items():
        listed = set(routes[endpoint].allowed)
        assert listed == methods, f"{endpoint}: table lists {listed}, app has {methods}"


def _url(route, world):
    return route.url(world) if callable(route.url) else route.url


@pytest.mark.parametrize("role", ROLES)
def test_route_role_matrix(app, world, role):
    routes, setups = table()
    for setup in setups:
        setup(world)
    failures = []
    for endpoint, route in sorted(routes.items()):
        url = _url(route, world)
        assert url, f"{endpoint}: no URL in the access table"
        for method, allowed in route.allowed.items():
            client = app.test_client()
            if role != "anonymous":
                # Read the nonce afresh: the logout route ends every session of the account.
                account = Account.get_by_id(world.accounts[ROLE_PERSON[role]].id)
                with client.session_transaction() as session:
                    session["_user_id"] = f"{account.id}.{account.session_nonce}"
            response = client.open(url, method=method, data=route.data, headers=route.headers)
            status = response.status_code
            location = response.headers.get("Location", "")
            refused_login = status == 401 or (status in (302, 303) and "/masuk?next=" in location)
            if role in allowed:
                # An allowed role reaches the page: a 404 would hide a broken URL in the table.
                if status in (401, 403, 404) or refused_login or status >= 500:
                    failures.append(
                        f"{method} {url} [{endpoint}] as {role}: {status}, expected access"
                    )
            elif role == "anonymous":
                if not refused_login:
                    failures.append(
                        f"{method} {url} [{endpoint}] as anonymous: {status}, "
                        "expected login redirect or 401"
                    )
            elif status not in (403, 404):
                failures.append(
                    f"{method} {url} [{endpoint}] as {role}: {status}, expected 403/404"
                )
    assert not failures, "\n".join(failures)
