"""Access table: the staff guide and the first-login welcome (issue 23)."""

from tests.access import LOGGED_IN, get, post

ROUTES = {
    "guide.index": get(LOGGED_IN, "/panduan"),
    "guide.dismiss_welcome": post(LOGGED_IN, "/panduan/sambutan"),
}
