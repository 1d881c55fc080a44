"""Responses do not reveal the server software or internal file details (issue 19, Low)."""

import re
import shlex
import threading
import urllib.request
from pathlib import Path

import waitress
from waitress.adjustments import Adjustments

ROOT = Path(__file__).resolve().parents[2]


def _serve_commands() -> list[str]:
    """Every ``waitress-serve`` command of the Makefile and the docs (continuations joined)."""
    commands = []
    for path in [ROOT / "Makefile", ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text().replace("\\\n", " ")
        commands += re.findall(r"waitress-serve\s[^\n`]*wsgi:app", text)
    return commands


def test_every_documented_serve_command_turns_the_server_header_off():
    commands = _serve_commands()
    assert commands
    for command in commands:
        args = [a for a in shlex.split(command)[1:] if "$(" not in a]
        kwargs, _ = Adjustments.parse_args(args)
        kwargs = {k: v for k, v in kwargs.items() if k not in ("help", "call")}
        assert not Adjustments(**kwargs).ident, command


def test_waitress_with_the_documented_ident_sends_no_server_header(app):
    kwargs, _ = Adjustments.parse_args(["--ident="])
    kwargs = {k: v for k, v in kwargs.items() if k not in ("help", "call")}
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=1, **kwargs)

    def run():
        try:
            server.run()
        except OSError:  # closed from this thread while its loop waited in select()
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        port = server.effective_port
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk") as response:  # noqa: S310
            headers = {k.lower(): v for k, v in response.headers.items()}
        assert "server" not in headers
        assert "via" not in headers
    finally:
        server.close()
        thread.join(timeout=5)


def test_static_etag_is_opaque_and_still_conditional(client):
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    etag = response.headers["ETag"].strip('"')
    assert re.fullmatch(r"[0-9a-f]{32}", etag), etag
    again = client.get("/static/css/app.css", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert again.headers["ETag"].strip('"') == etag


def test_no_custom_x_headers_on_any_kind_of_response(client):
    allowed = {"x-content-type-options", "x-frame-options"}
    for url in ("/masuk", "/publik", "/static/css/app.css", "/tidak-ada"):
        response = client.get(url)
        response.close()
        extra = {k.lower() for k, _ in response.headers.items() if k.lower().startswith("x-")}
        assert extra <= allowed, (url, extra)
