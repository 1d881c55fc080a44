"""Kiosk terminals, counter duty roster and SKM answers."""

from kinerja.models.kiosk import CounterDuty, Kiosk, KioskRateCounter, KioskResponse

VERSION = 5
DESCRIPTION = "Kios SKM: perangkat, jadwal jaga loket, jawaban responden"


def up(db):
    """Create the kiosk tables."""
    db.create_tables([Kiosk, KioskRateCounter, CounterDuty, KioskResponse], safe=True)
