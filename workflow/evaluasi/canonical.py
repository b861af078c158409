"""The canonical form of a final evaluation, and its SHA-256: what the verification page
shows and recomputes. Every value a reader of the result sees, in a fixed order, numbers
as decimal text; row ids left out (storage, not content)."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import Session

from workflow.evaluasi import queries, skor
from workflow.evaluasi.models import Evaluasi


def _angka(nilai) -> str:
    return str(skor.dua_desimal(nilai))


def _kriteria(session: Session, ev: Evaluasi) -> list[dict]:
    rows = queries.jawaban(session, ev)
    found = []
    for k in ev.lke.kriteria:
        j = rows.get(k.kode)
        found.append({"kode": k.kode, "jawaban": j.jawaban if j else None, "catatan": j.catatan if j else None,
                      "tautan": j.tautan_list if j else [], "setuju": j.setuju if j else None,
                      "komentar": j.komentar if j else None, "usulan": j.usulan if j else None})
    return found


def isi(session: Session, ev: Evaluasi) -> dict:
    hasil = queries.hasil(session, ev)
    return {
        "satker": ev.satker.kode,
        "tahun": ev.tahun,
        "lke": ev.lke.nama,
        "komponen": [{"kode": k.komponen.kode, "bobot": _angka(k.komponen.bobot), "skor": _angka(k.skor),
                      "subkomponen": [{"kode": s.sub.kode, "bobot": _angka(s.sub.bobot), "jumlah": s.jumlah,
                                       "terpenuhi": s.terpenuhi, "usulan": s.usulan.value,
                                       "nilai": s.nilai.value if s.nilai else None, "alasan": s.alasan,
                                       "skor": _angka(s.skor) if s.skor is not None else None}
                                      for s in k.sub]}
                     for k in hasil.komponen],
        "total": _angka(hasil.total),
        "predikat": hasil.predikat,
        "kriteria": _kriteria(session, ev),
        "temuan": [{"nomor": t.nomor, "subkomponen": t.subkomponen.kode if t.subkomponen else None,
                    "uraian": t.uraian, "rekomendasi": t.rekomendasi, "sanggahan": t.sanggahan,
                    "tanggapan": t.tanggapan, "sanggahan_diterima": t.sanggahan_diterima} for t in ev.temuan],
    }


def teks(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def hash_teks(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
