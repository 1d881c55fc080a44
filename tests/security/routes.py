"""Route discovery for the attack tests: every rule of ``app.url_map``, every access entry.

The attack tests iterate what the app registers, so an endpoint added later is attacked
without anyone editing these tests.
"""

import uuid

from tests.access import table

ROLE_ORDER = ("admin", "pegawai", "supervisor", "atasan", "auditor", "anonymous")
DUMMY = {"int": 1, "float": 1.0, "uuid": uuid.UUID(int=1), "path": "x", "default": "x"}


def rules(app, method: str):
    """(endpoint, rule) for every non-static rule that accepts ``method``."""
    found = [
        (rule.endpoint, rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and method in rule.methods
    ]
    return sorted(found, key=lambda pair: pair[1].rule)


def converter_kind(converter) -> str:
    """'int', 'float', 'uuid', 'path' or 'default' for a werkzeug converter."""
    name = type(converter).__name__.lower()
    for kind in ("int", "float", "uuid", "path"):
        if name.startswith(kind):
            return kind
    return "default"


def dummy_url(app, rule, **values) -> str:
    """A URL of ``rule`` with placeholder arguments (1, "x") unless given."""
    args = {}
    for name, conv in rule._converters.items():
        if name in values:
            args[name] = values[name]
        elif hasattr(conv, "items"):  # any(a, b): one of its words
            args[name] = sorted(conv.items)[0]
        else:
            args[name] = DUMMY[converter_kind(conv)]
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, args, force_external=False)


def access_routes(world):
    """The access table with its objects created: {endpoint: (Route, url)}."""
    routes, setups = table()
    for setup in setups:
        setup(world)
    result = {}
    for endpoint, route in routes.items():
        url = route.url(world) if callable(route.url) else route.url
        if url:
            result[endpoint] = (route, url)
    return result


def first_role(allowed) -> str:
    """The role to attack an endpoint as: admin if allowed, else the first allowed one."""
    for role in ROLE_ORDER:
        if role in allowed:
            return role
    raise AssertionError(f"no known role in {allowed}")


def client_as(app, world, role: str):
    """A test client logged in as ``role`` of ``world`` (anonymous: not logged in)."""
    client = app.test_client()
    if role != "anonymous":
        account = world.accounts[role]
        with client.session_transaction() as session:
            session["_user_id"] = f"{account.id}.{account.session_nonce}"
            session["_fresh"] = True
    return client
