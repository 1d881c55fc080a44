"""Access table: the kiosk device pages, the staff kiosk pages and the admin kiosk pages.

The device pages are open to everyone: a kiosk is authenticated by its paired device
cookie, not by a login (tests/portal/test_kiosk_views.py covers unpaired, forged and
revoked devices). The answer API checks the JSON content type before the device, so a
form post here gets 415 for every role.
"""

from tests.access import ALL, LOGGED_IN, both, get, post

ROUTES = {
    "kiosk.pair": both(ALL, ALL, "/kios/pasang"),
    "kiosk.index": both(ALL, ALL, "/kios/"),
    "kiosk.thanks": get(ALL, "/kios/terima-kasih"),
    "kiosk.api_answer": post(ALL, "/kios/api/jawaban", note="device cookie + X-Kiosk-Key"),
}


def setup(world):
    """A paired kiosk at the world's seksi (so supervisors of that seksi manage it)."""
    from tests.builders_kiosk import make_kiosk

    kiosk, _ = make_kiosk(world)
    world.objects["kiosk"] = kiosk


SUPERVISORS = {"supervisor", "atasan", "admin", "auditor"}
MANAGERS = {"supervisor", "atasan", "admin"}
ADMIN = {"admin"}
INTERNAL_READ = {"admin", "auditor"}

ROUTES.update(
    {
        "staff.kiosk_mine": get(LOGGED_IN, "/kios-saya"),
        "staff.kiosk_employee": get(
            {"pegawai", "supervisor", "atasan", "admin", "auditor"},
            lambda w: f"/pegawai/{w.people['pegawai'].id}/kios",
        ),
        "staff.kiosk_units": get(SUPERVISORS, "/kios-unit"),
        "staff.kiosk_unit": get(SUPERVISORS, lambda w: f"/kios-unit/{w.units['seksi'].id}"),
        "staff.kiosk_duty": both(LOGGED_IN, LOGGED_IN, "/jaga-loket"),
        "staff.kiosk_roster": both(
            SUPERVISORS, MANAGERS, lambda w: f"/jaga-loket/{w.objects['kiosk'].id}/jadwal"
        ),
        "admin.kiosk_list": get(INTERNAL_READ, "/admin/kios"),
        "admin.kiosk_new": both(INTERNAL_READ, ADMIN, "/admin/kios/baru"),
        "admin.kiosk_edit": both(
            INTERNAL_READ, ADMIN, lambda w: f"/admin/kios/{w.objects['kiosk'].id}"
        ),
        "admin.kiosk_hours": post(ADMIN, lambda w: f"/admin/kios/{w.objects['kiosk'].id}/jam"),
        "admin.kiosk_code": post(ADMIN, lambda w: f"/admin/kios/{w.objects['kiosk'].id}/kode"),
        "admin.kiosk_revoke": both(
            INTERNAL_READ, ADMIN, lambda w: f"/admin/kios/{w.objects['kiosk'].id}/cabut"
        ),
    }
)
