"""Access table: less typing on the SKP (issue 23 part 5). Anyone logged in may copy their
own last year's SKP into this year's (refused with a message when there is none); only the
owner of a draft starts RHK from the supervisor's RHK."""

from tests.access import LOGGED_IN, post

ROUTES = {
    "staff.skp_copy": post(LOGGED_IN, "/skp/salin"),
    "staff.skp_cascade": post(
        {"pegawai"}, lambda w: f"/skp/{w.objects['draft'].id}/dari-rhk-atasan"
    ),
}
