"""SKP, RHK, indicators, perilaku expectations, revisions, realisation, feedback log."""

from kinerja.models.skp import (
    FeedbackNote,
    FeedbackReply,
    Indicator,
    PerilakuExpectation,
    Realisation,
    Rhk,
    Skp,
    SkpRevision,
)

VERSION = 3
DESCRIPTION = "SKP, RHK, IKI, ekspektasi perilaku, revisi, realisasi, umpan balik"


def up(db):
    """Create the SKP tables."""
    db.create_tables(
        [
            Skp,
            Rhk,
            Indicator,
            PerilakuExpectation,
            SkpRevision,
            Realisation,
            FeedbackNote,
            FeedbackReply,
        ],
        safe=True,
    )
