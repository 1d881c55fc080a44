"""Access table: pages of every employee."""

from tests.access import ALL, LOGGED_IN, get

ROUTES = {
    "staff.index": get(ALL, "/"),
    "staff.home": get(LOGGED_IN, "/beranda"),
}
