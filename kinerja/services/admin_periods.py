"""Closing a period from the admin console: refused while evaluations are unfinished."""

from kinerja.db import write_tx
from kinerja.models.period import Period
from kinerja.services.admin_dashboard import unfinished_evaluations


class UnfinishedEvaluations(ValueError):
    """The period still has evaluations that are not final; ``evaluations`` lists them."""

    def __init__(self, evaluations: list):
        super().__init__(f"Periode belum dapat ditutup: {len(evaluations)} evaluasi belum final.")
        self.evaluations = evaluations


def close_period(period: Period, *, actor=None) -> Period:
    """Close ``period`` (kinerja.services.periods.close_period) once every evaluation of
    it is final, accepted or decided; otherwise raise :class:`UnfinishedEvaluations`."""
    from kinerja.services import periods

    with write_tx():
        pending = unfinished_evaluations(period)
        if pending:
            raise UnfinishedEvaluations(pending)
        return periods.close_period(period, actor=actor)
