"""The page checks themselves catch what they promise to catch."""

import pytest

BROKEN = {
    "invalid-html": "<!doctype html><html lang=id><title>x</title><div><p>tak ditutup</span>",
    "duplicate-id": (
        '<!doctype html><html lang="id"><title>x</title><main><h1>x</h1>'
        '<p id="a">1</p><p id="a">2</p></main></html>'
    ),
    "no-lang": "<!doctype html><html><title>x</title><main><h1>x</h1></main></html>",
    "axe": (
        '<!doctype html><html lang="id"><title>x</title><main><h1>x</h1>'
        '<input type="text" name="q"><img src="data:,"></main></html>'
    ),
}
EXPECTED = {
    "invalid-html": "HTML tidak valid",
    "duplicate-id": "duplicate ids",
    "no-lang": 'lang="id"',
    "axe": "axe-core violations",
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_checks_fail_on_a_broken_page(page, checks, kind):
    def serve(route):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=BROKEN[kind])

    page.route("**/rusak", serve)
    with pytest.raises(AssertionError, match=EXPECTED[kind]) as failure:
        checks.visit(page, "/rusak", step=kind)
    if kind == "axe":
        assert "image-alt [critical]" in str(failure.value)
        assert "label [critical]" in str(failure.value)
