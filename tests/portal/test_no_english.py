"""Issue 21: no English reaches a user. Every page of the route × role table is fetched as
each role allowed to see it, and every form answer to an empty POST is read: the visible
text carries no English validation text, and every form has ``novalidate`` so that the
browser's own (English, in an English-language browser) bubbles never show; the server
answers in Indonesian instead."""

import re

from kinerja.models.account import Account
from tests.access import table
from tests.html import parse
from tests.test_access_matrix import ROLE_PERSON, ROLES

ENGLISH = re.compile(
    r"not a valid|this field is required|\bplease\b|\binvalid\b|\bsubmit\b|field must"
    r"|\brequired\b|\berror\b",
    re.IGNORECASE,
)
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
HIDDEN = {"script", "style", "template"}


def _visible_text(tree) -> str:
    parts = []

    def walk(el):
        if not isinstance(el.tag, str) or el.tag in HIDDEN:
            return
        parts.extend(el.get(a, "") for a in SHOWN_ATTRIBUTES)
        if el.tag == "input" and el.get("type") in ("submit", "button"):
            parts.append(el.get("value", ""))
        parts.append(el.text or "")
        for child in el:
            walk(child)
            parts.append(child.tail or "")

    walk(tree.getroot() if hasattr(tree, "getroot") else tree)
    return " ".join(p for p in parts if p)


def _client(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        account = Account.get_by_id(world.accounts[ROLE_PERSON[role]].id)
        with client.session_transaction() as session:
            session["_user_id"] = f"{account.id}.{account.session_nonce}"
    return client


def _problems(response, where):
    if "text/html" not in response.headers.get("Content-Type", ""):
        return []
    tree = parse(response.get_data(as_text=True))
    found = [
        f"{where}: form without novalidate"
        for f in tree.iter("form")
        if f.get("novalidate") is None
    ]
    text = _visible_text(tree)
    found += [f"{where}: English {m.group(0)!r}" for m in ENGLISH.finditer(text)]
    return found


def test_no_english_on_any_page_or_form_answer(app, world):
    routes, setups = table()
    for setup in setups:
        setup(world)
    problems = []
    for role in ROLES:
        for endpoint, route in sorted(routes.items()):
            if role not in route.allowed.get("GET", ()):
                continue
            url = route.url(world) if callable(route.url) else route.url
            response = _client(app, world, role).get(url, headers=route.headers)
            problems += _problems(response, f"GET {url} [{endpoint}] as {role}")
    # Form answers: an empty POST by the first role allowed (errors are shown in Indonesian).
    for endpoint, route in sorted(routes.items()):
        allowed = sorted(route.allowed.get("POST", ()))
        if not allowed or endpoint in ("auth.logout",):
            continue
        url = route.url(world) if callable(route.url) else route.url
        response = _client(app, world, allowed[0]).post(url, data={}, headers=route.headers)
        problems += _problems(response, f"POST {url} [{endpoint}] as {allowed[0]}")
    assert not problems, "\n".join(sorted(set(problems)))
