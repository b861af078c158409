"""Fingerprints of what an editor showed, so that a save conflicts only with a change to
what it edits.

The editor of a RAK row, a sasaran, an indikator or the header sends back the fingerprint
of that part as it was loaded (with the number of the revision it belongs to, and for a
RAK row the schedule shape its cells are read in). A save goes through unless that part
changed since: four subbagian saving their own rows of one draft at once all save. The
document's version still moves with every change and still guards what concerns the
whole document: the workflow buttons, deletes and moves, the import.
"""
from __future__ import annotations

import hashlib
import json

from workflow.dokumen.content import Indikator, RakBaris, Sasaran
from workflow.dokumen.models import HEADER_FIELDS, Revisi
from workflow.errors import Konflik


class BerubahSejakDibuka(Konflik):
    """The part a user edits changed since they opened it; ``sidik`` is its fingerprint
    now, so that saving the same input again applies it on what is there now."""

    def __init__(self, message: str, sidik: str) -> None:
        super().__init__(message)
        self.sidik = sidik


def _sidik(*bagian) -> str:
    text = json.dumps(bagian, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _target(row) -> tuple:
    # As written (97,5%): the stored 97.5000 and a freshly read 97.5 are the same target.
    return row.target, row.polaritas, row.target_periode, row.alasan_target_periode


def baris(revisi: Revisi, row: RakBaris | None) -> str:
    """A RAK row (None: a row not added yet) in its revision and schedule shape."""
    isi = None if row is None else (
        row.kunci, row.sasaran, row.indikator, *_target(row), row.kode_output, row.jadwal, row.biaya,
        row.pelaksana, [k.uraian for k in row.kegiatan])
    return _sidik("baris", revisi.nomor, revisi.bentuk_jadwal, isi)


def sasaran(revisi: Revisi, row: Sasaran | None) -> str:
    isi = None if row is None else (row.kunci, row.tujuan, row.uraian)
    return _sidik("sasaran", revisi.nomor, isi)


def indikator(revisi: Revisi, induk: Sasaran, row: Indikator | None) -> str:
    isi = None if row is None else (row.kunci, row.uraian, *_target(row), row.pelaksana, row.cara_agregasi,
                                    row.induk_target)
    return _sidik("indikator", revisi.nomor, induk.kunci, isi)


def kepala(revisi: Revisi) -> str:
    """The header and its programs, as the header editor shows them."""
    return _sidik("kepala", revisi.nomor, [getattr(revisi, name) for name in HEADER_FIELDS],
                  [(p.kode, p.nama, p.anggaran) for p in revisi.program])
