"""Access table: notifications (the bell's list, marking read, e-mail preferences). Every
logged-in person has their own; another person's notification is a 404 (object level,
kinerja/permissions/notifications.py)."""

from tests.access import LOGGED_IN, both, get, post


def setup(world):
    """A notification for the pegawai (the only one who may open it)."""
    from kinerja.enums import NotificationKind
    from kinerja.services.notifications import notify

    world.objects["notification"] = notify(
        world.people["pegawai"].id, NotificationKind.TENGGAT, "Uji akses", "Isi", "staff.home"
    )


def _note(action):
    return lambda w: f"/notifikasi/{w.objects['notification'].id}/{action}"


ROUTES = {
    "staff.notifications": get(LOGGED_IN, "/notifikasi"),
    "staff.notification_open": post({"pegawai"}, _note("buka")),
    "staff.notification_read": post({"pegawai"}, _note("dibaca")),
    "staff.notifications_read_all": post(LOGGED_IN, "/notifikasi/baca-semua"),
    "staff.notification_preferences": both(
        LOGGED_IN,
        LOGGED_IN,
        "/notifikasi/pengaturan",
        data={"email_mode": "TIDAK", "email": ""},
    ),
}
