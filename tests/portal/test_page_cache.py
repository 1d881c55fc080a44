"""The shared page cache: exact invalidation by database triggers, never another's page."""

import re
from datetime import date

import pytest

from kinerja import render_cache
from kinerja.db import database, is_postgres, write_tx
from kinerja.models.account import Account
from kinerja.models.org import Employee
from kinerja.models.public import PublicSnapshot
from kinerja.models.system import CachedPage
from tests.builders import TEST_PASSWORD, make_account, make_employee

CACHE = "X-Kinerja-Cache"


def publish_some(world):
    """One period with enough kiosk answers to publish the unit's figures."""
    from kinerja.models.period import Period
    from kinerja.services.publish import publish
    from tests.builders_public import add_answers, make_period

    period = Period.get_or_none() or make_period(2026, 2)
    if not PublicSnapshot.select().exists():
        add_answers(world.units["opd"], date(2026, 5, 6), 25)
    publish(period)


def _watched_tables() -> set[str]:
    return {t for t in database.get_tables() if render_cache.scope_of(t)}


def _tables_with_triggers() -> set[str]:
    if is_postgres():
        sql = (
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE 'kinerja_gen_%%'"
        )
    else:
        sql = (
            "SELECT DISTINCT tbl_name FROM sqlite_master "
            "WHERE type = 'trigger' AND name LIKE 'kinerja_gen_%'"
        )
    return {row[0] for row in database.execute_sql(sql).fetchall()}


def test_every_watched_table_has_its_trigger(app):
    watched = _watched_tables()
    assert {"skp", "evaluation", "account", "employee", "public_unit_figure"} <= watched
    assert _tables_with_triggers() == watched
    assert not watched & render_cache.UNWATCHED


def test_a_table_added_by_a_later_migration_is_watched_too(app):
    database.execute_sql("CREATE TABLE later_feature (id INTEGER PRIMARY KEY, note TEXT)")
    from kinerja import migrations

    migrations._watch_tables()
    before = render_cache.generation("core")
    with write_tx():
        database.execute_sql("INSERT INTO later_feature (id, note) VALUES (1, 'x')")
    assert render_cache.generation("core") > before


def test_changes_raise_their_scope_only(app, world):
    core, public = render_cache.generation("core"), render_cache.generation("public")
    with write_tx():
        Employee.update(name="Nama Baru").where(Employee.id == world.people["peer"].id).execute()
    assert render_cache.generation("core") > core
    assert render_cache.generation("public") == public
    # A rolled-back change raises nothing.
    core = render_cache.generation("core")
    with pytest.raises(RuntimeError), write_tx():
        Employee.update(name="Batal").execute()
        raise RuntimeError("batal")
    assert render_cache.generation("core") == core
    # Unwatched bookkeeping (the cache itself) raises nothing either.
    render_cache.store("core", "k", "s", core, "text/html", b"x")
    assert render_cache.generation("core") == core


def test_home_is_served_from_the_cache_until_something_changes(client, login_as, world):
    login_as(world.accounts["supervisor"])
    first = client.get("/beranda")
    assert first.status_code == 200 and first.headers[CACHE] == "miss"
    second = client.get("/beranda")
    assert second.headers[CACHE] == "hit"
    assert _without_tokens(second) == _without_tokens(first)
    assert second.headers["Cache-Control"] == "no-store"
    # A subordinate is renamed: the supervisor's home shows it at once.
    with write_tx():
        Employee.update(name="Pegawai Berganti Nama").where(
            Employee.id == world.people["pegawai"].id
        ).execute()
    third = client.get("/beranda")
    assert third.headers[CACHE] == "miss"
    assert "Pegawai Berganti Nama" in third.get_data(as_text=True)


def test_a_cached_page_is_never_served_to_another_person(client, login_as, world):
    login_as(world.accounts["supervisor"])
    assert client.get("/beranda").headers[CACHE] == "miss"
    login_as(world.accounts["peer"])
    page = client.get("/beranda")
    assert page.headers[CACHE] == "miss"
    assert "Rekan Uji" in page.get_data(as_text=True)


def test_a_disabled_account_is_refused_even_with_a_cached_page(client, login_as, world):
    login_as(world.accounts["supervisor"])
    client.get("/beranda")
    assert client.get("/beranda").headers[CACHE] == "hit"
    with write_tx():
        Account.update(active=False).where(Account.id == world.accounts["supervisor"].id).execute()
    response = client.get("/beranda")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_team_page_access_is_checked_before_anything_is_cached(client, login_as, world):
    login_as(world.accounts["pegawai"])  # rates nobody
    assert client.get("/atasan/tim").status_code == 403
    assert client.get("/atasan/tim").status_code == 403
    assert CachedPage.select().count() == 0


def test_a_new_day_renders_again(client, login_as, world, monkeypatch):
    login_as(world.accounts["supervisor"])
    client.get("/beranda")
    assert client.get("/beranda").headers[CACHE] == "hit"
    monkeypatch.setattr("portal.page_cache.today_wib", lambda: date(2099, 1, 2))
    assert client.get("/beranda").headers[CACHE] == "miss"


def test_flash_messages_and_fragments_bypass_the_cache(client, login_as, world):
    login_as(world.accounts["supervisor"])
    client.get("/beranda")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Pesan sekali tampil")]
    page = client.get("/beranda")
    assert CACHE not in page.headers
    assert "Pesan sekali tampil" in page.get_data(as_text=True)
    assert CACHE not in client.get("/beranda", headers={"HX-Request": "true"}).headers
    assert CACHE not in client.get("/beranda?x=1").headers


def _without_tokens(response) -> str:
    """The page with its CSRF tokens blanked (a token is signed with the time: it varies)."""
    html = response.get_data(as_text=True)
    return re.sub(r'(name="csrf[-_]token" (?:content|value)=")[^"]+', r"\1", html)


def _token(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html)[1]


def test_the_session_csrf_token_is_put_back_into_a_cached_page(csrf_app):
    person = make_employee("Orang Uji")
    account = make_account(person)
    one, two = csrf_app.test_client(), csrf_app.test_client()
    for client in (one, two):
        token = _token(client.get("/masuk").get_data(as_text=True))
        response = client.post(
            "/masuk", data={"nip": person.nip, "password": TEST_PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
    first = one.get("/beranda")
    second = two.get("/beranda")
    assert (first.headers[CACHE], second.headers[CACHE]) == ("miss", "hit")
    html = second.get_data(as_text=True)
    assert "__kinerja_csrf_token__" not in html
    # The token in the page served from the cache is this session's, not the renderer's.
    foreign = _token(first.get_data(as_text=True))
    assert two.post("/keluar", data={"csrf_token": foreign}).status_code == 400
    response = two.post("/keluar", data={"csrf_token": _token(html)})
    assert response.status_code in (302, 303)
    assert one.post("/keluar", data={"csrf_token": "salah"}).status_code == 400
    assert account.active


def test_public_pages_are_cached_per_canonical_url(client, world):
    publish_some(world)
    first = client.get("/publik")
    assert first.status_code == 200 and first.headers[CACHE] == "miss"
    again = client.get("/publik")
    assert again.headers[CACHE] == "hit" and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "Set-Cookie" not in again.headers
    not_modified = client.get("/publik", headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304
    # Unknown arguments or values are rendered, never stored.
    for url in ("/publik?x=1", "/publik?urut=apa", "/publik?periode=abc&urut=ikm"):
        assert CACHE not in client.get(url).headers
    assert client.get("/publik?urut=ikm&arah=turun").headers[CACHE] == "miss"
    # Publishing again makes every public page stale.
    before = render_cache.generation("public")
    publish_some(world)
    assert render_cache.generation("public") > before
    assert client.get("/publik").headers[CACHE] == "miss"
    assert PublicSnapshot.select().count() >= 1


def test_public_pages_for_a_logged_in_person_are_not_cached(client, login_as, world):
    publish_some(world)
    login_as(world.accounts["pegawai"])
    assert CACHE not in client.get("/publik").headers
    assert CachedPage.select().count() == 0


def test_the_fast_path_answers_exactly_as_flask_does(client, world):
    publish_some(world)
    for url in ("/publik", "/publik.json", "/publik.csv", "/publik/metode", "/publik/data"):
        rendered = client.get(url)
        served = client.get(url)
        assert (rendered.headers[CACHE], served.headers[CACHE]) == ("miss", "hit"), url
        assert served.data == rendered.data
        ignore = {CACHE, "Content-Length", "Date"}  # waitress adds Date to every response
        assert {(k, v) for k, v in served.headers if k not in ignore} == {
            (k, v) for k, v in rendered.headers if k not in ignore
        }, url
        head = client.head(url)
        assert head.status_code == 200 and head.data == b""
        etag = rendered.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"lain"'}).status_code == 200


def test_the_fast_path_never_answers_what_flask_would_refuse_or_personalise(
    client, login_as, world
):
    publish_some(world)
    client.get("/publik?urut=ikm")
    assert client.get("/publik?urut=ikm").headers[CACHE] == "hit"
    # The same argument twice, a POST, or a session cookie go to Flask.
    assert CACHE not in client.get("/publik?urut=ikm&urut=ikm").headers
    assert client.post("/publik?urut=ikm").status_code in (400, 405)
    login_as(world.accounts["pegawai"])
    assert CACHE not in client.get("/publik?urut=ikm").headers


def test_a_hit_costs_one_statement(client, login_as, world, count_queries):
    publish_some(world)
    client.get("/publik")
    with count_queries() as public_hit:
        assert client.get("/publik").headers[CACHE] == "hit"
    assert public_hit.count == 1, str(public_hit)
    login_as(world.accounts["supervisor"])
    for url in ("/beranda", "/atasan/tim"):
        client.get(url)
        with count_queries() as personal_hit:
            assert client.get(url).headers[CACHE] == "hit"
        assert personal_hit.count == 1, str(personal_hit)
