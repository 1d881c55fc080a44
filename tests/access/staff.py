"""Access table: pages of every employee; the pulse results only for unit heads (the
supervisor heads the seksi, the atasan the bidang), admins and auditors."""

from tests.access import ALL, INTERNAL, LOGGED_IN, both, get

ROUTES = {
    "staff.index": get(ALL, "/"),
    "staff.home": get(LOGGED_IN, "/beranda"),
    "staff.pulse_form": both(LOGGED_IN, LOGGED_IN, "/survei-denyut"),
    "staff.pulse_results": get(INTERNAL | {"supervisor", "atasan"}, "/survei-denyut/hasil"),
}
