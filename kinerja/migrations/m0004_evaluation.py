"""Evaluation, self-assessment, 360 feedback, org predikat, pattern, objection, follow-up."""

from kinerja.db import is_sqlite
from kinerja.models.evaluation import (
    DevelopmentPlan,
    DistributionPatternVersion,
    Evaluation,
    FeedbackAnswer,
    FeedbackRequest,
    IndicatorRating,
    Objection,
    ObjectionMessage,
    OrgPredikatAssignment,
    Recognition,
    SelfAssessmentRhk,
    SelfAssessmentValue,
)

VERSION = 4
DESCRIPTION = (
    "Evaluasi kinerja, penilaian diri, umpan balik 360, predikat organisasi, pola distribusi, "
    "keberatan, tindak lanjut"
)


def up(db):
    """Create the evaluation tables and seed the default distribution pattern."""
    from kinerja.clock import utcnow
    from kinerja.scoring import DEFAULT_PATTERN, pattern_to_json

    # No hidden row order for anonymous answers on SQLite (docs/evaluation.md).
    FeedbackAnswer._meta.without_rowid = is_sqlite()
    try:
        db.create_tables(
            [
                Evaluation,
                SelfAssessmentRhk,
                SelfAssessmentValue,
                FeedbackRequest,
                FeedbackAnswer,
                IndicatorRating,
                OrgPredikatAssignment,
                DistributionPatternVersion,
                Objection,
                ObjectionMessage,
                DevelopmentPlan,
                Recognition,
            ],
            safe=True,
        )
    finally:
        FeedbackAnswer._meta.without_rowid = False
    if not DistributionPatternVersion.select().exists():
        DistributionPatternVersion.create(
            version=1,
            json=pattern_to_json(DEFAULT_PATTERN),
            note="Pola bawaan SE MenPANRB 3/2023",
            created_at=utcnow(),
            active=True,
        )
