"""Access table: the kiosk device pages, the staff kiosk pages and the admin kiosk pages.

The device pages are open to everyone: a kiosk is authenticated by its paired device
cookie, not by a login (tests/portal/test_kiosk_views.py covers unpaired, forged and
revoked devices). The answer API checks the JSON content type before the device, so a
form post here gets 415 for every role.
"""

from tests.access import ALL, both, get, post

ROUTES = {
    "kiosk.pair": both(ALL, ALL, "/kios/pasang"),
    "kiosk.index": both(ALL, ALL, "/kios/"),
    "kiosk.thanks": get(ALL, "/kios/terima-kasih"),
    "kiosk.api_answer": post(ALL, "/kios/api/jawaban", note="device cookie + X-Kiosk-Key"),
}
