"""The Laporan Kinerja's tables, computed: Tabel 3.1 / 3.2 (target, realisasi, capaian per
indikator of the PK Komisi and the PK Sekretariat) and the budget realisation per kegiatan
code, from ``workflow.realisasi.dashboard.dasbor_kantor`` (a fixed number of queries) plus one query
for the sasaran groups. A plain dict: it is also what gets frozen into a submitted LKj
(``IsiLkj.tabel``), so the signed report never moves.

Budget realisation is read from the RAK Sekretariat: it is the KPA's budget plan. The RAK
Komisioner repeats many of its rows (Kota Batu's two RAKs share nine), so the two are
never added up; an office without a RAK Sekretariat is measured on its RAK Komisioner.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from tenants.satker import Satker
from tenants.teks import bahasa_asli
from workflow.banding.queries import perbandingan
from workflow.capaian import Capaian, Keadaan
from workflow.dokumen.bab_lkj import NAMA_KEGIATAN, isi_baru
from workflow.dokumen.content import Indikator, Sasaran
from workflow.dokumen.jenis import Bentuk, Sisi, berbentuk
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi
from workflow.pelaporan import queries as pelaporan
from workflow.realisasi.dashboard import PK, TANPA_KODE, BagianPk, KelompokKegiatan, dasbor_kantor
from workflow.realisasi.operations import HasilIndikator, persen_serapan

# Where the budget table reads the money from: the Sekretariat's RAK first (the
# Sekretaris is the office's KPA), else the Komisi's.
RAK_ANGGARAN = tuple(sorted(berbentuk(Bentuk.RAK), key=lambda j: j.sisi is not Sisi.SEKRETARIAT))
# The programs the report lists: those of the Komisi's PK.
_PK_KOMISI = tuple(j for j in berbentuk(Bentuk.PK) if j.sisi is Sisi.KOMISI)


def _persen(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.0001")))


def _tabel_pk(bagian: BagianPk, induk: dict[tuple[int, str], tuple[str, str | None]], satker: Satker,
              tahun: int, laporan: Terverifikasi | None = None) -> dict:
    nomor, judul = bagian.jenis.tabel_lkj
    doc = bagian.dokumen
    sasaran: list[dict] = []
    for hasil in (laporan.hasil if laporan else bagian.indikator):
        kunci, tujuan = induk.get((doc.id, hasil.kunci), (None, None))
        if not sasaran or sasaran[-1]["kunci"] != kunci:
            sasaran.append({"kunci": kunci, "no": len(sasaran) + 1, "uraian": hasil.sasaran, "tujuan": tujuan,
                            "indikator": []})
        sasaran[-1]["indikator"].append({
            "uraian": hasil.uraian, "target": hasil.target_teks, "realisasi": hasil.realisasi_teks,
            "capaian": hasil.capaian.teks, "persen": _persen(hasil.capaian.persen),
            "keadaan": hasil.capaian.keadaan.value, "lampu": hasil.lampu.value,
            **({"analisis": laporan.analisis.get(hasil.kunci, [])} if laporan else {}),
        })
    for s in sasaran:
        s["tercapai"] = _sasaran_tercapai(s["indikator"])
    return {"jenis": bagian.jenis.value, "nomor": nomor, "judul": judul.format(nama=satker.nama, tahun=tahun),
            "dokumen_id": doc.id if doc else None, "status": doc.status.value if doc else None,
            "revisi": doc.nomor_revisi if doc else None, "sasaran": sasaran,
            # The verified periods the figures come from; absent when the PK reports no period.
            **({"terverifikasi": laporan.periode} if laporan else {})}


@dataclass(frozen=True)
class Terverifikasi:
    """What a PK that reports its periods gives the LKj: the figures of its verified
    periods only, the names of those periods, and their analysis per indikator."""

    hasil: list[HasilIndikator]
    periode: list[str]
    analisis: dict[str, list[dict]]


def _terverifikasi(session: Session, dasbor) -> dict[int, Terverifikasi]:
    """PK id -> its verified periods' figures and analysis, for the PKs with period reports."""
    docs = {b.dokumen.id: b.dokumen.objek for b in dasbor.pk if b.dokumen is not None}
    found = {}
    for dokumen_id, bulan in pelaporan.periode_terverifikasi(session, docs).items():
        dokumen = docs[dokumen_id]
        nama = {p.bulan: p.nama for p in pelaporan.periode_dokumen(session, dokumen)}
        analisis = {kunci: [{"periode": nama.get(p, str(p)), "kendala": a.kendala, "upaya": a.upaya,
                             "rencana": a.rencana} for p, a in daftar]
                    for kunci, daftar in pelaporan.analisis_terverifikasi(session, dokumen_id).items()}
        found[dokumen_id] = Terverifikasi(pelaporan.hasil_terverifikasi(session, dokumen, bulan),
                                          [nama.get(p, str(p)) for p in bulan], analisis)
    return found


def _sasaran_tercapai(indikator: list[dict]) -> bool | None:
    """A sasaran is reached when each of its indikator is (capaian >= 100% or 'tercapai');
    None while any cannot be computed yet."""
    hasil = []
    for i in indikator:
        if i["keadaan"] == Keadaan.TIDAK_DAPAT_DIHITUNG.value:
            return None
        hasil.append(i["keadaan"] == Keadaan.TERCAPAI.value
                     or (i["persen"] is not None and Decimal(i["persen"]) >= 100))
    return all(hasil) if hasil else None


def _program(kelompok: KelompokKegiatan) -> str:
    """The program letters of a kegiatan's output codes (CQ, WA): the DIPA's order."""
    return kelompok.kode_output[0][:2] if kelompok.kode_output else "~"


def _dua_desimal(capaian: Capaian) -> str:
    """Budget percentages as the LKj prints them: always two decimals (98,30%)."""
    if capaian.persen is None:
        return capaian.teks
    return f"{capaian.persen.quantize(Decimal('0.01')):f}".replace(".", ",") + "%"


def _tabel_anggaran(kegiatan: list[KelompokKegiatan], rak: JenisDokumen | None) -> dict:
    baris = []
    for k in sorted(kegiatan, key=lambda k: (k.kode == TANPA_KODE, _program(k), k.kode)):
        baris.append({"kode": k.kode, "nama": NAMA_KEGIATAN.get(k.kode, ""), "kode_output": k.kode_output,
                      "anggaran": k.rencana, "realisasi": k.realisasi, "capaian": _dua_desimal(k.serapan),
                      "persen": _persen(k.serapan.persen)})
    total_anggaran = sum(k.rencana for k in kegiatan)
    total_realisasi = sum(k.realisasi for k in kegiatan)
    total = persen_serapan(total_anggaran, total_realisasi)
    return {"sumber": rak.value if rak else None, "baris": baris, "anggaran": total_anggaran,
            "realisasi": total_realisasi, "capaian": _dua_desimal(total), "persen": _persen(total.persen)}


def _sasaran(session: Session, satker: Satker, tahun: int) -> dict[tuple[int, str], tuple[str, str | None]]:
    """(PK id, indikator kunci) -> its sasaran's kunci and tujuan: the tables' groups."""
    rows = session.execute(
        select(Dokumen.id, Indikator.kunci, Sasaran.kunci.label("sasaran_kunci"), Sasaran.tujuan)
        .join(Revisi, and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi))
        .join(Indikator, Indikator.revisi_id == Revisi.id).join(Sasaran, Sasaran.id == Indikator.sasaran_id)
        .where(Dokumen.satker_id == satker.id, Dokumen.tahun == tahun, Dokumen.jenis.in_(PK)))
    return {(r.id, r.kunci): (r.sasaran_kunci, r.tujuan) for r in rows}


def susun(session: Session, satker: Satker, tahun: int) -> dict:
    """The LKj's tables as they stand now (a plain dict: it is also what gets frozen)."""
    dasbor = dasbor_kantor(session, satker, tahun)
    induk = _sasaran(session, satker, tahun)
    laporan = _terverifikasi(session, dasbor)
    pk = [_tabel_pk(b, induk, satker, tahun, laporan.get(b.dokumen.id)) for b in dasbor.pk if b.dokumen is not None]
    per_jenis = {a.dokumen.jenis: a for a in dasbor.anggaran}
    sumber = next((j for j in RAK_ANGGARAN if j in per_jenis), None)
    anggaran = _tabel_anggaran(per_jenis[sumber].kegiatan if sumber else [], sumber)
    program = [{"kode": kode, "nama": nama, "anggaran": jumlah}
               for d in dasbor.dokumen if d.jenis in _PK_KOMISI for kode, nama, jumlah in d.program]
    return {"pk": pk, "anggaran": anggaran, "program": program,
            "pagu": sum(p["anggaran"] for p in program) if program else None,
            "banding": perbandingan(session, satker, tahun, _per_indikator(dasbor, laporan))}


def _per_indikator(dasbor, laporan: dict[int, Terverifikasi]) -> dict[tuple[int, str], tuple[str, HasilIndikator]]:
    """(PK id, kunci) -> (the PK's kind, the indikator as its Tabel 3.x counts it), in the tables' order."""
    return {(b.dokumen.id, h.kunci): (b.jenis.value, h) for b in dasbor.pk if b.dokumen is not None
            for h in (laporan[b.dokumen.id].hasil if b.dokumen.id in laporan else b.indikator)}


def tabel(session: Session, revisi: Revisi) -> dict:
    """What the report shows: frozen at submit, live while a draft."""
    if revisi.lkj is not None and revisi.lkj.tabel:
        return json.loads(revisi.lkj.tabel)
    dokumen = revisi.dokumen
    return susun(session, dokumen.satker, dokumen.tahun)


def bekukan(session: Session, dokumen: Dokumen, revisi: Revisi) -> None:
    """Store the tables into the revision about to be submitted: what the Ketua signs. Their
    words (capaian) are the official Indonesian, whatever language the submitter reads."""
    if revisi.lkj is None:
        revisi.lkj = isi_baru(dokumen.satker, dokumen.tahun)
    with bahasa_asli():
        data = susun(session, dokumen.satker, dokumen.tahun)
    revisi.lkj.tabel = json.dumps(data, ensure_ascii=False, sort_keys=True)


def catatan_terverifikasi(t: dict) -> str | None:
    """The note under a Tabel 3.x whose PK reports its periods (printed, in Indonesian)."""
    if "terverifikasi" not in t:
        return None
    if not t["terverifikasi"]:
        return "Realisasi dihitung dari periode yang telah diverifikasi; belum ada periode yang diverifikasi."
    return "Realisasi dihitung dari periode yang telah diverifikasi: " + ", ".join(t["terverifikasi"]) + "."


def analisis_bab3(data: dict) -> list[dict]:
    """Bab III's analysis: per PK table, each indikator with the kendala, upaya and rencana
    tindak lanjut of its verified periods (tables frozen before period reports have none)."""
    found = []
    for t in data["pk"]:
        indikator = [{"uraian": i["uraian"], "capaian": i["capaian"], "analisis": i["analisis"]}
                     for s in t["sasaran"] for i in s["indikator"] if i.get("analisis")]
        if indikator:
            found.append({"nomor": t["nomor"], "jenis": t["jenis"], "indikator": indikator})
    return found


def ringkasan(data: dict) -> dict[str, int]:
    """How many indikator reached their target, did not, or cannot be computed yet."""
    counts = {"tercapai": 0, "tidak_tercapai": 0, "tidak_dapat_dihitung": 0}
    for bagian in data["pk"]:
        for s in bagian["sasaran"]:
            for i in s["indikator"]:
                if i["keadaan"] == Keadaan.TIDAK_DAPAT_DIHITUNG.value:
                    counts["tidak_dapat_dihitung"] += 1
                elif i["keadaan"] == Keadaan.TERCAPAI.value or (i["persen"] and Decimal(i["persen"]) >= 100):
                    counts["tercapai"] += 1
                else:
                    counts["tidak_tercapai"] += 1
    return counts
