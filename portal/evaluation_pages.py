"""Evaluation page helpers shared by the staff and supervisor blueprints: the labels the
templates read, the kuadran grid, the evaluation of a URL (or 404) and everything a result
page shows (docs/spec/product.md §2 "Evaluation").
"""

from flask import abort

from kinerja import org
from kinerja.clock import today_wib
from kinerja.enums import (
    BERAKHLAK_GUIDELINES,
    Berakhlak,
    EvaluationStatus,
    OrgPredikat,
    Predikat,
    RaterGroup,
    Rating,
)
from kinerja.models.evaluation import (
    Evaluation,
    MessageRole,
    ObjectionDecision,
    PlanKind,
    PlanStatus,
)
from kinerja.queries import evaluation as evaluation_queries
from kinerja.queries import objection as objection_queries
from kinerja.scoring import KUADRAN
from kinerja.services import evaluation as svc
from kinerja.services import evaluation_feedback as fb
from kinerja.services import followup

LABELS = {
    "Rating": Rating,
    "Predikat": Predikat,
    "Status": EvaluationStatus,
    "OrgPredikat": OrgPredikat,
    "RaterGroup": RaterGroup,
    "Berakhlak": Berakhlak,
    "PlanKind": PlanKind,
    "PlanStatus": PlanStatus,
    "MessageRole": MessageRole,
    "Decision": ObjectionDecision,
}


HASIL_ROWS = (Rating.DIATAS_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIBAWAH_EKSPEKTASI)


PERILAKU_COLS = (Rating.DIBAWAH_EKSPEKTASI, Rating.SESUAI_EKSPEKTASI, Rating.DIATAS_EKSPEKTASI)


def kuadran_grid() -> list[tuple[Rating, list[tuple[Rating, Predikat]]]]:
    """The kuadran kinerja as rows (hasil) of cells (perilaku, predikat)."""
    return [(h, [(p, KUADRAN[(h, p)]) for p in PERILAKU_COLS]) for h in HASIL_ROWS]


def evaluation_or_404(evaluation_id: int) -> Evaluation:
    """The evaluation, or 404."""
    ev = evaluation_queries.evaluation_with_person(evaluation_id)
    if ev is None:
        abort(404)
    return ev


def result_context(ev: Evaluation, *, result: bool = True, follow_up: bool = True) -> dict:
    """Everything a result page shows: ratings, explanation, 360 summaries (thresholded),
    self-assessment, objection, follow-up, annual result.

    A page that shows the rating form instead of the result passes ``result=False`` (no
    objection, organisation predikat nor annual result is read), one that shows no follow-up
    ``follow_up=False`` (no development plan nor nomination is read)."""
    rhk_self, value_self = evaluation_queries.self_assessment(ev)
    objection = objection_queries.objection_of(ev) if result else None
    head = org.unit_head(ev.unit_id) if result and ev.is_unit_head_rating else None
    return {
        "ev": ev,
        "E": LABELS,
        "grid": kuadran_grid(),
        "cols": PERILAKU_COLS,
        "basis": svc.rating_basis(ev),
        "rhk_self": rhk_self,
        "value_self": value_self,
        "blocks": fb.summaries(ev),
        "feedback_closed": fb.round_closed(ev),
        "thresholds": svc.thresholds_for(ev.period),
        "objection": objection,
        "messages": objection_queries.messages_of(objection) if objection else [],
        "objection_decided_by": objection_queries.decided_by_label(objection) if objection else "",
        "objection_decider": (
            objection_queries.decider_label(objection, today_wib())
            if objection and not objection.decision
            else ""
        ),
        "plans": followup.plans_of(ev) if follow_up else [],
        "recognition": evaluation_queries.recognition_of(ev) if follow_up else None,
        "annual": evaluation_queries.annual_result(ev) if result else None,
        "org_predikat": evaluation_queries.org_predikat_of(ev.unit_id, ev.period) if head else None,
        "guidelines": BERAKHLAK_GUIDELINES,
    }
