"""Password hashing with Argon2id (a modern, memory-hard KDF)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_DEFAULTS = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
_hasher: PasswordHasher | None = None
_settings = dict(_DEFAULTS)

MIN_LENGTH = 10
MAX_LENGTH = 128


def configure(time_cost: int = 2, memory_cost: int = 19456) -> None:
    """Set the Argon2 cost (tests use a cheap one; production keeps the defaults)."""
    global _hasher
    _settings.update(time_cost=time_cost, memory_cost=memory_cost)
    _hasher = None


def _get() -> PasswordHasher:
    global _hasher
    if _hasher is None:
        _hasher = PasswordHasher(**_settings)
    return _hasher


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``."""
    return _get().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; never raises on bad input."""
    try:
        return _get().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def dummy_verify(password: str) -> None:
    """Spend the time of one verification, so an unknown NIP answers as slowly as a
    known one."""
    verify_password(_dummy_hash(), password)


_dummy: list[str] = []


def _dummy_hash() -> str:
    if not _dummy:
        _dummy.append(hash_password("kata-sandi-contoh-yang-tidak-dipakai"))
    return _dummy[0]


def password_problems(new: str, *, nip: str, current: str | None = None) -> list[str]:
    """Indonesian messages for each rule a new password breaks (empty when acceptable)."""
    problems = []
    if len(new) < MIN_LENGTH:
        problems.append(f"Kata sandi minimal {MIN_LENGTH} karakter.")
    if len(new) > MAX_LENGTH:
        problems.append(f"Kata sandi maksimal {MAX_LENGTH} karakter.")
    if not any(c.isalpha() for c in new) or not any(c.isdigit() for c in new):
        problems.append("Kata sandi harus memuat huruf dan angka.")
    if nip and nip in new:
        problems.append("Kata sandi tidak boleh memuat NIP Anda.")
    if current is not None and new == current:
        problems.append("Kata sandi baru harus berbeda dari kata sandi lama.")
    return problems
