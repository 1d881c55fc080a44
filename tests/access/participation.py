"""Access table: participation per unit (issue 23 part 3). Admins and auditors see every
unit; heads (the kasi of the seksi, the kabid above) see their own subtree; staff nothing."""

from tests.access import INTERNAL, get

ROUTES = {
    "admin.participation": get(INTERNAL, "/admin/partisipasi"),
    "supervisor.participation": get({"supervisor", "atasan"} | INTERNAL, "/atasan/partisipasi"),
    "admin.participation_csv_download": get(INTERNAL, "/admin/partisipasi.csv"),
    "supervisor.participation_csv_download": get(
        {"supervisor", "atasan"} | INTERNAL, "/atasan/partisipasi.csv"
    ),
}
