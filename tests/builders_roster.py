"""Roster builders: a small two-person roster file (semicolon CSV) for the import pages."""

from datetime import date

from kinerja.nip import make_nip

HEADER = "nip;nama;jabatan;jenis_jabatan;golongan;kode_unit;nip_atasan"
BAD_ROW = "Baris 3: golongan 'Z/z' tidak berlaku untuk PNS (I/a–IV/e)."  # bad=True's error


def roster_nip(n: int) -> str:
    """The NIP of roster person ``n`` (valid, distinct per n)."""
    return make_nip(date(1975, 1, 1 + n), 1998, 3, "P", n)


def roster_file(bad: bool = False) -> bytes:
    """A head and one subordinate in DUKCAPIL.PDP.ID; ``bad``: row 3 has an invalid golongan."""
    lines = [
        HEADER,
        f"{roster_nip(1)};Kepala Baru;Kepala Seksi;Pengawas;III/d;DUKCAPIL.PDP.ID;",
        f"{roster_nip(2)};Staf Baru;Pengolah Data;Pelaksana;{'Z/z' if bad else 'II/c'};"
        f"DUKCAPIL.PDP.ID;{roster_nip(1)}",
    ]
    return ("\n".join(lines) + "\n").encode()
