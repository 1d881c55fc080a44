"""The session cookie slides with activity but is re-issued at most once a minute."""

from portal import security


def _set_cookie(response) -> str | None:
    return next(
        (v for k, v in response.headers if k == "Set-Cookie" and "kinerja_session=" in v), None
    )


def test_an_unchanged_session_is_re_issued_at_most_once_a_minute(
    client, login_as, world, monkeypatch
):
    now = [1_900_000_000]
    monkeypatch.setattr(security.time, "time", lambda: now[0])
    login_as(world.accounts["pegawai"])
    first = client.get("/beranda")
    assert first.status_code == 200
    assert _set_cookie(first) is not None  # the first request stamps the session
    now[0] += 30
    assert _set_cookie(client.get("/beranda")) is None
    now[0] += 31
    refreshed = _set_cookie(client.get("/beranda"))
    assert refreshed is not None and "Expires=" in refreshed
    assert _set_cookie(client.get("/beranda")) is None


def test_a_changed_session_is_always_saved(client, login_as, world, monkeypatch):
    monkeypatch.setattr(security.time, "time", lambda: 1_900_000_000)
    login_as(world.accounts["pegawai"])
    assert _set_cookie(client.get("/beranda")) is not None
    assert _set_cookie(client.get("/beranda")) is None  # same second, unchanged
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Tersimpan.")]
    client.get("/beranda")  # the flash is shown and removed: the session changed
    # Still the same second: logging out changes the session, so the cookie is saved.
    assert _set_cookie(client.post("/keluar")) is not None
    after = client.get("/beranda")
    assert after.status_code == 302 and "/masuk" in after.headers["Location"]
