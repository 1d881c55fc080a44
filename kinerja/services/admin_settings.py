"""Changing the configurable values (bounds-checked, audited); a period keeps the values
frozen when it opened (kinerja.settings.for_period)."""

from kinerja import settings
from kinerja.db import write_tx
from kinerja.services import audit


def problems(values: dict) -> dict[str, str]:
    """Indonesian messages per key for values out of bounds or inconsistent."""
    found = {}
    for key, value in values.items():
        spec = settings.SPECS.get(key)
        if spec is None:
            found[key] = "Pengaturan tidak dikenal."
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            found[key] = "Isi dengan bilangan bulat."
            continue
        if spec.minimum is not None and value < spec.minimum:
            found[key] = f"Paling kecil {spec.minimum}" + (
                f": {settings.PRIVACY_FLOOR_MESSAGE}" if spec.privacy_floor else "."
            )
        elif spec.maximum is not None and value > spec.maximum:
            found[key] = f"Paling besar {spec.maximum}."
    merged = {**settings.current(), **values}
    if (
        "rating_band_meets" not in found
        and "rating_band_above" not in found
        and merged["rating_band_meets"] >= merged["rating_band_above"]
    ):
        found["rating_band_above"] = (
            "Batas Di Atas Ekspektasi harus lebih besar dari batas Sesuai Ekspektasi."
        )
    return found


def update(values: dict, *, actor=None) -> list[str]:
    """Store the changed values (one audit event per changed key); return changed keys."""
    found = problems(values)
    if found:
        raise ValueError(found)
    changed = []
    with write_tx():
        current = settings.current()
        for key, value in values.items():
            if current.get(key) == value:
                continue
            settings.store(key, value)
            audit.record(
                "setting.changed",
                actor=actor,
                object_type="setting",
                object_id=key,
                before={"value": current.get(key)},
                after={"value": value},
            )
            changed.append(key)
    return changed
