"""Builders with defaults for tests: make_unit(), make_employee(), make_account()."""

import itertools
import secrets
from datetime import date

from kinerja import passwords
from kinerja.models.account import Account, AccountRole
from kinerja.models.org import Employee, Unit
from kinerja.nip import make_ni_pppk, make_nip

_seq = itertools.count(1)

TEST_PASSWORD = "RahasiaUji2026"


def make_unit(
    name="Dinas Uji", *, code=None, kind="OPD", parent=None, serves_public=False, short_name=""
):
    """A unit with a unique code."""
    n = next(_seq)
    return Unit.create(
        code=code or f"U{n}",
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        serves_public=serves_public,
    )


def make_employee(
    name=None,
    *,
    unit=None,
    supervisor=None,
    jenis="PELAKSANA",
    golongan=None,
    status="PNS",
    jabatan=None,
    jenjang=None,
    active=True,
    sex="L",
):
    """An employee with a valid, unique NIP (or NI PPPK)."""
    n = next(_seq)
    birth = date(1970 + n % 25, 1 + n % 12, 1 + n % 28)
    if status == "PPPK":
        nip = make_ni_pppk(birth, 2022, 1 + n % 90, sex, 1 + n % 999)
        golongan = golongan or "IX"
    else:
        nip = make_nip(birth, birth.year + 20, 1 + n % 12, sex, 1 + n % 999)
        golongan = golongan or "III/a"
    unit = unit or make_unit()
    return Employee.create(
        nip=nip,
        name=name or f"Pegawai Uji {n}",
        jabatan=jabatan
        or {
            "JPT": "Kepala Dinas",
            "ADMINISTRATOR": "Kepala Bidang",
            "PENGAWAS": "Kepala Seksi",
        }.get(jenis, "Pengadministrasi Umum"),
        jenis_jabatan=jenis,
        jenjang=jenjang,
        golongan=golongan,
        status=status,
        unit=unit,
        supervisor=supervisor,
        active=active,
    )


_cheap_hash: list[str] = []


def make_account(employee, *, password=None, roles=(), must_change=False, active=True):
    """An account for ``employee`` (the test password unless given)."""
    if password is None:
        if not _cheap_hash:
            _cheap_hash.append(passwords.hash_password(TEST_PASSWORD))
        password_hash = _cheap_hash[0]
    else:
        password_hash = passwords.hash_password(password)
    account = Account.create(
        employee=employee,
        password_hash=password_hash,
        must_change_password=must_change,
        session_nonce=secrets.token_hex(16),
        active=active,
    )
    for role in roles:
        AccountRole.create(account=account, role=str(role))
    return account
