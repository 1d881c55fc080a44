"""Calibration of the predikat distribution (docs/spec/regulation.md §4): the distribution
pattern and its versions, the organisation predikat of a unit, and the calibration view of a
unit against the pattern.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from peewee import IntegrityError, fn

from kinerja import org
from kinerja.clock import utcnow
from kinerja.db import write_tx
from kinerja.enums import (
    OrgPredikat,
    Predikat,
)
from kinerja.formatting import format_number, round_half_up
from kinerja.models.evaluation import (
    DistributionPatternVersion,
    Evaluation,
    OrgPredikatAssignment,
)
from kinerja.models.org import Employee, Unit
from kinerja.models.period import Period
from kinerja.permissions import Actor
from kinerja.permissions import evaluation as perm
from kinerja.queries.evaluation import org_predikat_of
from kinerja.scoring import (
    DEFAULT_PATTERN,
    Breach,
    RuleKind,
    check_distribution,
    pattern_from_json,
    pattern_to_json,
)
from kinerja.services import audit
from kinerja.services.evaluation import EvaluationError, Forbidden, _text, _who


class PatternInvalid(EvaluationError):
    """The distribution pattern form does not validate: a message per field (rule code)
    and messages about the whole pattern of one organisation predikat."""

    def __init__(self, errors: dict[str, str], general: list[str]):
        super().__init__("Pola distribusi belum disimpan; periksa isian yang ditandai.")
        self.errors = errors
        self.general = general


def active_pattern() -> tuple[DistributionPatternVersion | None, dict]:
    """The active distribution pattern version and its rules (default if none stored)."""
    row = (
        DistributionPatternVersion.select()
        .where(DistributionPatternVersion.active)
        .order_by(DistributionPatternVersion.version.desc())
        .first()
    )
    if row is None:
        return None, DEFAULT_PATTERN
    return row, pattern_from_json(row.json)


def save_pattern(actor: Actor, text: str, note: str = "") -> DistributionPatternVersion:
    """Store a new pattern version from JSON and make it the active one (admin)."""
    if not perm.can_set_org_predikat(actor):
        raise Forbidden("Hanya admin yang dapat mengubah pola distribusi.")
    try:
        pattern = pattern_from_json(text)
    except ValueError as exc:
        raise EvaluationError(f"Pola distribusi tidak valid: {exc}") from None
    missing = [o.label for o in OrgPredikat if o not in pattern]
    if missing:
        raise EvaluationError("Pola distribusi harus memuat aturan untuk: " + ", ".join(missing))
    return _store_pattern(actor, pattern, note)


def pattern_percent_label(org: OrgPredikat, rule) -> str:
    """The label of a rule's percent field: "Istimewa: Sangat Baik paling banyak (%)"."""
    names = " + ".join(p.label for p in rule.predikat)
    bound = "paling banyak" if rule.kind == RuleKind.AT_MOST else "paling sedikit"
    return f"{org.label}: {names} {bound} (%)"


def _percent_input(raw: str | None) -> tuple[Decimal | None, str]:
    text = (raw or "").strip().replace(" ", "").removesuffix("%")
    if not text:
        return None, "Wajib diisi (0 sampai 100)."
    if text.count(",") + text.count(".") > 1:
        return None, "Tulis angka dengan satu koma desimal, mis. 70 atau 12,5."
    try:
        value = Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None, "Isi dengan angka, mis. 70 atau 12,5."
    if not value.is_finite() or not 0 <= value <= 100:
        return None, "Harus antara 0 dan 100."
    if value != value.quantize(Decimal("0.01")):
        return None, "Paling banyak dua angka di belakang koma."
    return value.normalize() if value == value.to_integral() else value, ""


def save_pattern_percents(
    actor: Actor, values: dict[str, str], note: str = ""
) -> DistributionPatternVersion:
    """A new pattern version from the form: one percent per AT_MOST/AT_LEAST rule of the
    active pattern (the other rules stay). Checked per organisation predikat: every
    percent 0–100, the minimums together at most 100 %, a predikat's minimum not above
    its maximum, and the group that must be largest allowed at least 20 % (one fifth)."""
    if not perm.can_set_org_predikat(actor):
        raise Forbidden("Hanya admin yang dapat mengubah pola distribusi.")
    _, current = active_pattern()
    errors: dict[str, str] = {}
    general: list[str] = []
    pattern: dict = {}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for org_predikat, rules in current.items():
        new_rules = []
        for rule in rules:
            if rule.percent is None:
                new_rules.append(rule)
                continue
            value, problem = _percent_input(values.get(rule.code))
            if problem:
                errors[rule.code] = problem
                new_rules.append(rule)
                continue
            label = pattern_percent_label(org_predikat, rule).removesuffix(" (%)")
            before[label] = f"{format_number(rule.percent, None)} %"
            after[label] = f"{format_number(value, None)} %"
            new_rules.append(replace(rule, percent=value))
        pattern[org_predikat] = new_rules
        if errors:
            continue
        minimums = [r for r in new_rules if r.kind == RuleKind.AT_LEAST]
        total = sum((r.percent for r in minimums), Decimal(0))
        if total > 100:
            general.append(
                f"{org_predikat.label}: batas paling sedikit berjumlah "
                f"{format_number(total, None)} %, lebih dari 100 %."
            )
        for low in minimums:
            for high in new_rules:
                if (
                    high.kind == RuleKind.AT_MOST
                    and high.predikat == low.predikat
                    and low.percent > high.percent
                ):
                    general.append(
                        f"{org_predikat.label}: {low.describe()} tetapi {high.describe()}."
                    )
        largest = [r for r in new_rules if r.kind == RuleKind.LARGEST]
        for big in largest:
            for high in new_rules:
                if (
                    high.kind == RuleKind.AT_MOST
                    and high.predikat == big.predikat
                    and high.percent * len(Predikat) < 100
                ):
                    general.append(
                        f"{org_predikat.label}: {big.predikat[0].label} harus menjadi "
                        f"kelompok terbesar, jadi batas paling banyaknya tidak boleh di bawah "
                        f"{format_number(Decimal(100) / len(Predikat), None)} %."
                    )
            for low in minimums:
                if low.predikat != big.predikat and len(low.predikat) == 1 and low.percent > 50:
                    general.append(
                        f"{org_predikat.label}: {low.describe()} tidak dapat berlaku bersama "
                        f"aturan {big.predikat[0].label} sebagai kelompok terbesar."
                    )
    if errors or general:
        raise PatternInvalid(errors, general)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    return _store_pattern(
        actor,
        pattern,
        note,
        before={k: before[k] for k in changed},
        after=changed,
    )


def _store_pattern(
    actor: Actor, pattern: dict, note: str, before: dict | None = None, after: dict | None = None
) -> DistributionPatternVersion:
    """Store ``pattern`` as the new active version, audited, in one transaction."""
    with write_tx():
        last = DistributionPatternVersion.select(
            fn.MAX(DistributionPatternVersion.version)
        ).scalar()
        DistributionPatternVersion.update(active=False).execute()
        row = DistributionPatternVersion.create(
            version=(last or 0) + 1,
            json=pattern_to_json(pattern),
            note=_text(note, "Catatan", required=False),
            created_by=actor.employee_id,
            active=True,
        )
        audit.record(
            "pola_distribusi.disimpan",
            actor=actor.account,
            object_type="distribution_pattern",
            object_id=row.version,
            before=before or None,
            after={"version": row.version, "note": row.note, **(after or {})},
        )
    return row


def set_org_predikat(
    actor: Actor | None, unit: Unit, period: Period, predikat: str, note: str = ""
) -> OrgPredikatAssignment:
    """Set a unit's Predikat Kinerja Organisasi for a period (admin; docs/spec/regulation.md §4)."""
    if actor is not None and not perm.can_set_org_predikat(actor):
        raise Forbidden("Hanya admin yang dapat menetapkan predikat organisasi.")
    try:
        value = OrgPredikat(predikat)
    except ValueError:
        raise EvaluationError("Pilih Predikat Kinerja Organisasi.") from None
    note = _text(note, "Catatan", required=False)
    with write_tx():
        row = org_predikat_of(unit.id, period)
        before = {"predikat": row.predikat} if row else None
        if row is None:
            try:
                row = OrgPredikatAssignment.create(
                    unit=unit.id,
                    period=period.id,
                    predikat=value,
                    set_by=actor.employee_id if actor else None,
                    note=note,
                )
            except IntegrityError:
                raise EvaluationError(
                    "Predikat organisasi baru saja ditetapkan; muat ulang."
                ) from None
        else:
            row.predikat = value
            row.set_by = actor.employee_id if actor else None
            row.set_at = utcnow()
            row.note = note
            row.save()
        audit.record(
            "predikat_organisasi.ditetapkan",
            actor=_who(actor),
            object_type="unit",
            object_id=unit.id,
            before=before,
            after={"period": period.id, "predikat": value, "note": note},
        )
    return row


@dataclass
class BreachView:
    """A breach with the evaluations it concerns."""

    breach: Breach
    concerned: list[Evaluation]
    hint: str


@dataclass
class Calibration:
    """A unit's proposed predikat distribution against its organisation predikat."""

    unit: Unit
    period: Period
    org_predikat: OrgPredikat | None
    pattern_version: int | None
    rules: list = field(default_factory=list)
    rated: list[Evaluation] = field(default_factory=list)
    unrated: list[Evaluation] = field(default_factory=list)
    counts: dict[Predikat, int] = field(default_factory=dict)
    breaches: list[BreachView] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Evaluations of the unit in the period (rated or not)."""
        return len(self.rated) + len(self.unrated)

    @property
    def complete(self) -> bool:
        """Every evaluation of the unit in the period has a predikat: only then is the
        distribution judged (breaches named, or "sesuai pola")."""
        return bool(self.rated) and not self.unrated

    def chart(self) -> list["ChartRow"]:
        """The distribution against the pattern: one row per predikat (share of the rated
        employees) with the bounds of the rules on that predikat alone, then one row per
        percent rule on several predikat together."""
        n = len(self.rated)
        rows = []
        for p in Predikat:
            bounds = [_bound(r) for r in self.rules if r.predikat == (p,) and _bound(r)]
            rows.append(ChartRow(p.label, self.counts[p], _share(self.counts[p], n), bounds))
        for rule in self.rules:
            if len(rule.predikat) > 1 and _bound(rule):
                count = sum(self.counts[p] for p in rule.predikat)
                label = " + ".join(p.label for p in rule.predikat)
                rows.append(ChartRow(label, count, _share(count, n), [_bound(rule)]))
        return rows


@dataclass
class ChartRow:
    """One bar of the calibration chart: a predikat (or a group) and its share in percent
    of the rated employees, with the pattern's bounds as (kind, percent)."""

    label: str
    count: int
    percent: Decimal
    bounds: list[tuple[str, Decimal]]


def _share(count: int, n: int) -> Decimal:
    """``count`` of ``n`` in percent, half-up to two decimals; whole numbers without them."""
    value = round_half_up(Decimal(count) * 100 / n) if n else Decimal(0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _bound(rule) -> tuple[str, Decimal] | None:
    """A rule's bound for the chart: ("maks"/"min", percent); NONE_OF is "maks" 0 %."""
    if rule.kind is RuleKind.AT_MOST:
        return "paling banyak", Decimal(rule.percent)
    if rule.kind is RuleKind.AT_LEAST:
        return "paling sedikit", Decimal(rule.percent)
    if rule.kind is RuleKind.NONE_OF:
        return "paling banyak", Decimal(0)
    return None


def unit_evaluations(unit: Unit, period: Period) -> list[Evaluation]:
    """Evaluations of the unit and the units below it, without the unit's own head (whose
    hasil rating comes from this unit's organisation predikat)."""
    head = org.unit_head(unit.id)
    units = org.descendant_unit_ids(unit.id)
    query = (
        Evaluation.select(Evaluation, Employee)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(Evaluation.unit.in_(list(units)) & (Evaluation.period == period.id))
        .order_by(Employee.name)
    )
    return [e for e in query if head is None or e.employee_id != head.id]


def calibration(unit: Unit, period: Period) -> Calibration:
    """The calibration view of a unit (docs/spec/regulation.md §4): every breach named, with the
    evaluations concerned, once the unit is complete (every evaluation rated); before
    that, nothing is judged. Nothing is changed."""
    assignment = org_predikat_of(unit.id, period)
    version, pattern = active_pattern()
    evaluations = unit_evaluations(unit, period)
    rated = [e for e in evaluations if e.predikat]
    view = Calibration(
        unit=unit,
        period=period,
        org_predikat=OrgPredikat(assignment.predikat) if assignment else None,
        pattern_version=version.version if version else None,
        rated=rated,
        unrated=[e for e in evaluations if not e.predikat],
        counts={p: 0 for p in Predikat} | Counter(Predikat(e.predikat) for e in rated),
    )
    if view.org_predikat is None:
        return view
    rules = {rule.code: rule for rule in pattern.get(view.org_predikat, [])}
    view.rules = list(rules.values())
    if not view.complete:
        return view  # judged only once every evaluation of the unit is rated
    for breach in check_distribution(view.org_predikat, [e.predikat for e in rated], pattern):
        rule = rules[breach.code]
        inside = [e for e in rated if Predikat(e.predikat) in rule.predikat]
        outside = [e for e in rated if Predikat(e.predikat) not in rule.predikat]
        if rule.kind in (RuleKind.AT_MOST, RuleKind.NONE_OF):
            concerned, hint = inside, "Pegawai dengan predikat yang melebihi batas"
        elif rule.kind is RuleKind.LARGEST:
            larger = {p for p in Predikat if view.counts[p] > breach.count}
            concerned = [e for e in rated if Predikat(e.predikat) in larger]
            hint = "Pegawai pada kelompok yang lebih besar"
        else:
            concerned, hint = outside, "Pegawai yang predikatnya perlu ditinjau kembali"
        view.breaches.append(BreachView(breach, concerned, hint))
    return view


def unit_by_id(unit_id: int) -> Unit | None:
    """A unit, if it exists (the unit of a calibration page)."""
    return Unit.get_or_none(Unit.id == unit_id)


def calibration_units(actor: Actor) -> list[Unit]:
    """Units whose calibration the actor may open (heads and the chain above; all for
    admins and auditors)."""
    units = list(Unit.select().where(Unit.active).order_by(Unit.code))
    return perm.overseen_units(actor, units)
