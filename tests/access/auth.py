"""Access table: login pages."""

from tests.access import ALL, LOGGED_IN, both, post

ROUTES = {
    "auth.login": both(ALL, ALL, "/masuk"),
    "auth.logout": post(LOGGED_IN, "/keluar"),
    "auth.change_password": both(LOGGED_IN, LOGGED_IN, "/akun/kata-sandi"),
}
