"""Object URLs with ids that do not exist: 404 (or 403), never a 500 and never a page.

Who may open whose objects is the role × route matrix (tests/test_access_matrix.py). Here
every access-table URL that carries an object id (a URL argument named ``id`` or ``*_id``)
is retried, as each role allowed to use it, with ids that no row has.
"""

from tests.security.routes import access_routes, client_as

MISSING_IDS = (999_999, 0, 2**31 - 1, 2**63 - 1)


def test_missing_ids_give_404_never_500(app, world):
    failures = []
    for endpoint, (route, url) in sorted(access_routes(world).items()):
        for method, roles in route.allowed.items():
            adapter = app.url_map.bind("localhost")
            _, args = adapter.match(url.split("?")[0], method=method)
            ids = [name for name in args if name == "id" or name.endswith("_id")]
            if not ids:
                continue
            for role in sorted(roles):
                client = client_as(app, world, role)
                for name in ids:
                    for missing in MISSING_IDS:
                        target = adapter.build(endpoint, {**args, name: missing})
                        response = client.open(target, method=method, data=route.data)
                        response.close()
                        status = response.status_code
                        if status >= 500 or status in (200, 201) or status == 401:
                            failures.append(f"{method} {target} [{endpoint}] as {role}: {status}")
    assert not failures, "\n".join(failures)
