"""Fuzzing: random form posts to every POST endpoint of app.url_map never give a 500.

Field names come from the forms of the portal's own pages (every GET URL of the access
table is rendered once and its forms are read); each example is posted by one of the
roles the access table allows, with random text, unicode, huge numbers, empty and
missing fields, and random file uploads where the form has a file input. An endpoint that
another engineer adds is fuzzed without editing this file.
"""

import io
from urllib.parse import urlsplit

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.html import parse
from tests.security.routes import access_routes, client_as, dummy_url, rules

EXAMPLES_PER_ENDPOINT = 15
UNICODE = st.characters(blacklist_categories=("Cs",))
VALUES = st.one_of(
    st.text(UNICODE, max_size=60),
    st.text(UNICODE, min_size=300, max_size=1500),
    st.integers().map(str),
    st.integers(min_value=10**18, max_value=10**60).map(str),
    st.integers(max_value=-1).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(lambda d: str(d).replace(".", ",")),
    st.floats().map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "0", "-0", "1e309", "NaN", "true", "null", "' OR 1=1 --"]),
    st.sampled_from(["<script>alert(1)</script>", "../../etc/passwd", "١٢٣", "𝟙𝟚𝟛", "\u202e"]),
)

# Fixed nasty values, each posted in every known field of every endpoint before the random
# examples: the cases random text finds only by luck.
NASTY = ["a\\rb", "a\\x00b", "9" * 40, "x" * 5000]

# 500s already reported to the owner of the endpoint; remove an entry once it is fixed.
KNOWN_FAILURES = {}


def _form_fields(client, url: str, fields: dict) -> None:
    """Add the fields of every form on the page at ``url`` to ``fields`` by action path."""
    response = client.get(url)
    if response.status_code != 200 or response.mimetype != "text/html":
        response.close()
        return
    tree = parse(response.get_data(as_text=True))
    response.close()
    for form in tree.iter("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urlsplit(form.get("action") or url).path
        found = fields.setdefault(action, {})
        for el in form.iter():
            name = el.get("name")
            if el.tag not in ("input", "select", "textarea", "button") or not name:
                continue
            if name == "csrf_token":
                continue
            kind = "file" if el.get("type") == "file" else "text"
            found.setdefault(name, kind)


def _discover(app, world) -> tuple[dict, dict]:
    """(fields by action path, access routes) for the world."""
    routes = access_routes(world)
    fields: dict[str, dict] = {}
    for _endpoint, (route, url) in sorted(routes.items()):
        if "GET" not in route.allowed:
            continue
        roles = sorted(route.allowed["GET"] - {"anonymous"}) or ["anonymous"]
        _form_fields(client_as(app, world, roles[0]), url, fields)
    return fields, routes


def _post_data(draw_fields: dict, data: dict):
    """The body of one example: known fields (some missing), extra junk, random files."""
    body = {}
    for name, value in data["known"].items():
        kind = draw_fields.get(name, "text")
        if kind == "file":
            body[name] = (io.BytesIO(value.encode("utf-8", "replace")), "berkas.csv")
        else:
            body[name] = value
    body.update(data["extra"])
    return body


def _fuzzer(app, world, endpoint: str, url: str, roles: list[str], known: dict):
    """A hypothesis test posting random bodies to ``url`` as one of ``roles``."""
    names = sorted(known) or ["nilai", "catatan"]
    has_file = "file" in known.values()

    @settings(
        max_examples=EXAMPLES_PER_ENDPOINT,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # report the first failure, no shrinking
        suppress_health_check=list(HealthCheck),
    )
    @given(
        role=st.sampled_from(roles),
        data=st.fixed_dictionaries(
            {
                "known": st.dictionaries(st.sampled_from(names), VALUES),
                "extra": st.dictionaries(st.text(UNICODE, max_size=12), VALUES, max_size=3),
            }
        ),
    )
    def post_one(role, data):
        client = client_as(app, world, role)
        body = _post_data(known, data)
        kw = {"content_type": "multipart/form-data"} if has_file else {}
        response = client.post(url, data=body, **kw)
        response.close()
        assert response.status_code < 500, (
            f"POST {url} [{endpoint}] as {role}: {response.status_code} with {body!r:.300}"
        )

    return post_one


def test_random_posts_never_give_500(app, world):
    fields, routes = _discover(app, world)
    failures = []
    for endpoint, rule in rules(app, "POST"):
        if endpoint in KNOWN_FAILURES:
            continue
        route, url = routes.get(endpoint, (None, None))
        if route is None or "POST" not in route.allowed:
            url, roles = dummy_url(app, rule), ["admin"]
        else:
            roles = sorted(route.allowed["POST"]) or ["anonymous"]
        known = fields.get(urlsplit(url).path, {})
        for value in NASTY:
            body = _post_data(known, {"known": dict.fromkeys(known, value), "extra": {}})
            kw = {"content_type": "multipart/form-data"} if "file" in known.values() else {}
            response = client_as(app, world, roles[-1]).post(url, data=body, **kw)
            response.close()
            if response.status_code >= 500:
                failures.append(f"POST {url} [{endpoint}] as {roles[-1]}: 500 with {value!r:.40}")
        fuzz = _fuzzer(app, world, endpoint, url, roles, known)
        try:
            fuzz()
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, "\n".join(failures)
