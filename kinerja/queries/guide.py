"""The figures the staff guide (``/panduan``) states, read from the code and the settings in
force, so the guide never drifts from what the portal does (issue 23 part 1)."""

from dataclasses import dataclass

from kinerja import settings
from kinerja.anonymise import PULSE_MIN_ANSWERS
from kinerja.enums import PULSE_SCALE, Predikat, PulseQuestion, Rating
from kinerja.scoring import KUADRAN


@dataclass(frozen=True)
class GuideFacts:
    """Every number and table the guide shows."""

    objection_days: int
    feedback_scores_min: int
    feedback_comments_min: int
    feedback_scores_floor: int
    feedback_comments_floor: int
    public_min_n: int
    public_small_count_max: int
    band_above: int
    band_meets: int
    pulse_min_answers: int
    ratings: tuple[Rating, ...]
    predikat: tuple[Predikat, ...]
    kuadran: dict[tuple[Rating, Rating], Predikat]
    pulse_questions: tuple[PulseQuestion, ...]
    pulse_scale: dict[int, str]


def facts() -> GuideFacts:
    """The guide's figures as they are in force today (new periods freeze these values)."""
    values = settings.current()
    return GuideFacts(
        objection_days=values["objection_days"],
        feedback_scores_min=values["feedback_scores_min"],
        feedback_comments_min=values["feedback_comments_min"],
        feedback_scores_floor=settings.SPECS["feedback_scores_min"].minimum,
        feedback_comments_floor=settings.SPECS["feedback_comments_min"].minimum,
        public_min_n=values["public_min_n"],
        public_small_count_max=values["public_small_count_max"],
        band_above=values["rating_band_above"],
        band_meets=values["rating_band_meets"],
        pulse_min_answers=PULSE_MIN_ANSWERS,
        ratings=tuple(Rating),
        predikat=tuple(Predikat),
        kuadran=dict(KUADRAN),
        pulse_questions=tuple(PulseQuestion),
        pulse_scale=dict(PULSE_SCALE),
    )
