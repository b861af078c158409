"""The canonical content of a revision, and its SHA-256.

What is signed is this text: every field a reader sees on the document, in a fixed
order, with numbers and dates in one spelling. Row ids are left out (they are storage,
not content), so a copy of a revision hashes the same as its original.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from workflow import schedule
from workflow.dokumen.content import LKJ_DITULIS
from workflow.dokumen.models import HEADER_FIELDS, Revisi


def _value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return str(value.normalize()) if hasattr(value, "normalize") else str(value)


def _target(row) -> dict:
    found = {"jenis": row.jenis_target.value, "nilai": _value(row.target_nilai), "kode": row.target_kode,
             "satuan": row.satuan, "polaritas": row.polaritas.value}
    # Period targets came after documents were signed: present only when set, so a row
    # without them hashes as it always did.
    if row.target_periode:
        found["target_periode"] = json.loads(row.target_periode)
        found["alasan_target_periode"] = row.alasan_target_periode
    return found


def _indikator(i) -> dict:
    row = {"uraian": i.uraian, **_target(i)}
    # Added after the first documents were signed: present only when set, so the hash
    # of a document signed before stays what it was.
    extra = {"induk": f"{i.induk_dokumen_id}:{i.induk_kunci}" if i.induk_kunci else None,
             "induk_target": i.induk_target, "agregasi": i.cara_agregasi, "pelaksana": i.pelaksana}
    return row | {k: v for k, v in extra.items() if v is not None}




def _lkj(revisi: Revisi) -> dict:
    isi_lkj = revisi.lkj
    # The frozen tables are hashed as stored (JSON text): what the Ketua signed.
    return {name: getattr(isi_lkj, name) for name in (*LKJ_DITULIS, "tabel")}


def isi(revisi: Revisi) -> dict:
    dokumen = revisi.dokumen
    # Only a Laporan Kinerja has the key, so the other kinds' hashes stay as they were.
    extra = {"lkj": _lkj(revisi)} if revisi.lkj is not None else {}
    return extra | {
        "satker": dokumen.satker.kode,
        "tahun": dokumen.tahun,
        "jenis": dokumen.jenis.value,
        "revisi": revisi.nomor,
        "kepala": {name: _value(getattr(revisi, name)) for name in HEADER_FIELDS},
        "program": [{"kode": p.kode, "nama": p.nama, "anggaran": p.anggaran} for p in revisi.program],
        "sasaran": [
            {"tujuan": s.tujuan, "uraian": s.uraian,
             "indikator": [_indikator(i) for i in s.indikator]}
            for s in revisi.sasaran
        ],
        "baris": [
            {"sasaran": b.sasaran, "indikator": b.indikator, **_target(b),
             "kegiatan": [k.uraian for k in b.kegiatan], "kode_output": b.kode_output,
             "jadwal": b.jadwal or schedule.KOSONG, "biaya": b.biaya, "pelaksana": b.pelaksana}
            for b in revisi.baris
        ],
    }


def teks(revisi: Revisi) -> str:
    return json.dumps(isi(revisi), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def hash_isi(revisi: Revisi) -> str:
    return hashlib.sha256(teks(revisi).encode("utf-8")).hexdigest()
