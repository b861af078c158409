"""A realistic national data set for load tests and benchmarks (`sakip generate`).

553 offices; KPU RI's PK Komisi with 20 indikator, cascaded to the 38 provinces and
from each to its kabupaten/kota (drafts, as after the cascade); a RAK Sekretariat of
about 40 rows each; twelve months of realisation for every indikator, and twelve months of
money spent per output code (``realisasi_output``); quarterly targets to date on every indikator
(carried down by the cascade) and, as if the PKs were signed, January to March reported with an
analysis per indikator and verified, April submitted (by two generated accounts that cannot sign
in), with an evidence file per indikator for March; and the year's evaluation (Evaluasi AKIP) of every
office below KPU RI, most final with varied scores and predikat, the rest on the way. Deterministic (a seeded random generator), so two runs give the same figures.
"""
from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tenants.db import refresh_statistics, utcnow
from tenants.people import User
from tenants.satker import Satker, Tingkat
from workflow.anggaran.models import RealisasiOutput
from workflow.bukti.contoh import pdf_kecil
from workflow.bukti.models import Bukti, BuktiPotongan
from workflow.dokumen import cascade, operations
from workflow.dokumen.content import Indikator
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi
from workflow.dokumen.operations import BarisData, SasaranData
from workflow.evaluasi import canonical, lke, skor
from workflow.evaluasi.models import Evaluasi, Jawaban, NilaiSubkomponen, StatusEvaluasi
from workflow.pelaporan.models import AnalisisIndikator, LaporanPeriode, RevisiLaporan, StatusLaporan
from workflow.realisasi.models import Realisasi
from workflow.target import JenisTarget, Polaritas

SASARAN = [
    ("Terwujudnya Sumber Daya Manusia dan Lembaga KPU yang berkualitas", [
        ("Nilai Keterbukaan Informasi Publik", "100%"), ("Nilai Akuntabilitas Kinerja", "BB"),
        ("Opini BPK atas Laporan Keuangan", "WTP"), ("Indeks Reformasi Birokrasi", "75 Poin"),
    ]),
    ("Terwujudnya Kesadaran Pemilih, Kepemiluan dan Demokrasi yang tinggi", [
        ("Persentase Partisipasi Pemilih dalam Pemilu/Pemilihan", "81%"),
        ("Persentase Partisipasi Pemilih Perempuan", "81%"), ("Persentase Partisipasi Pemilih Disabilitas", "77%"),
        ("Persentase Pemilih yang Berhak Memilih Tetapi Tidak Masuk dalam DPT", "0,16%"),
        ("Jumlah kegiatan pendidikan pemilih", "24 Kegiatan"),
    ]),
    ("Terwujudnya Penyelenggaraan Pemilu/Pemilihan sesuai jadwal", [
        ("Persentase tahapan yang dilaksanakan sesuai jadwal", "100%"),
        ("Persentase logistik yang didistribusikan tepat waktu", "100%"),
        ("Persentase badan ad hoc yang dibentuk tepat waktu", "100%"),
        ("Jumlah laporan evaluasi tahapan", "12 Laporan"),
    ]),
    ("Penyelesaian sengketa hukum yang baik", [
        ("Persentase Sengketa Hukum yang dimenangkan KPU", "90%"),
        ("Persentase produk hukum yang didokumentasikan", "100%"),
        ("Jumlah sengketa yang dihadapi", "1 Perkara"),
    ]),
    ("Meningkatnya tertib administrasi dan pengelolaan SDM", [
        ("Persentase pegawai yang mendapat layanan kepegawaian tepat waktu", "97,5%"),
        ("Persentase penegakan disiplin pegawai", "90%"),
        ("Jumlah laporan keuangan tepat waktu", "2 Laporan"),
        ("Persentase tindak lanjut rekomendasi BPK", "75%"),
    ]),
]
UNITS = ("kul", "rendatin", "teknis_hupmas", "hukum_sdm")
KEGIATAN = ("Rapat koordinasi", "Bimbingan teknis", "Monitoring dan evaluasi", "Sosialisasi", "Penyusunan laporan",
            "Supervisi", "Pengadaan", "Pemeliharaan")
OUTPUT = ("CQ.6709.QGE.003", "CQ.6709.QGE.004", "CQ.6867.QGE.002", "CQ.6871.QGE.001", "CQ.6872.QGE.003",
          "WA.3355.EBA.994", "WA.3360.EBA.994")


def _pk_ri(session: Session, ri: Satker, tahun: int) -> Dokumen:
    pk = operations.cari_dokumen(session, ri, tahun, JenisDokumen.PK_KOMISI)
    if pk is not None:
        return pk
    pk = operations.buat_dokumen(session, ri, tahun, JenisDokumen.PK_KOMISI, None)
    operations.isi_sasaran_massal(session, pk, [
        SasaranData(uraian, indikator=[(teks, target, _polaritas(teks)) for teks, target in indikator])
        for uraian, indikator in SASARAN
    ], None)
    for indikator in (i for s in pk.revisi_aktif.sasaran for i in s.indikator):
        indikator.target_periode = json.dumps(_target_triwulan(indikator))
    return pk


def _target_triwulan(indikator) -> list[str]:
    """Targets to date per quarter, as stored: counts add up to the year's, levels stand."""
    if indikator.jenis_target in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
        return [indikator.target_kode] * 4
    if indikator.jenis_target is JenisTarget.ANGKA:
        return [str((indikator.target_nilai * q / 4).quantize(Decimal("0.01")).normalize()) for q in range(1, 5)]
    return [str(indikator.target_nilai)] * 4


def _polaritas(teks: str) -> Polaritas:
    lower = ("Tidak Masuk", "sengketa yang dihadapi")
    return Polaritas.TURUN if any(word in teks for word in lower) else Polaritas.NAIK


def _rak_rows(rng: random.Random, n: int) -> list[BarisData]:
    rows = []
    for no in range(1, n + 1):
        start = rng.randint(1, 9)
        rows.append(BarisData(
            sasaran=SASARAN[no % len(SASARAN)][0], indikator=SASARAN[no % len(SASARAN)][1][0][0],
            target=f"{rng.choice((90, 95, 100))}%", kegiatan=[f"{rng.choice(KEGIATAN)} {no}" for _ in range(2)],
            kode_output=rng.choice(OUTPUT), sel_jadwal=list(range(start, min(12, start + rng.randint(1, 6)) + 1)),
            biaya=rng.randint(1, 500) * 1_000_000, pelaksana=rng.choice(UNITS),
        ))
    return rows


def _realisation_rows(rng: random.Random, dokumen: Dokumen) -> list[dict]:
    rows = []
    for sasaran in dokumen.revisi_aktif.sasaran:
        for indikator in sasaran.indikator:
            for bulan in range(1, 13):
                row = {"dokumen_id": dokumen.id, "indikator_kunci": indikator.kunci, "bulan": bulan}
                if indikator.jenis_target in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
                    row |= {"kode": indikator.target_kode if rng.random() < 0.8 else None, "nilai": None}
                else:
                    factor = Decimal(rng.randint(60, 110)) / 100
                    if indikator.jenis_target is JenisTarget.ANGKA:
                        factor /= 12  # counts accumulate month by month
                    row |= {"nilai": (indikator.target_nilai * factor).quantize(Decimal("0.01")), "kode": None}
                rows.append(row)
    return rows


def _uang_rows(rng: random.Random, satker: Satker, tahun: int) -> list[dict]:
    """Money spent per output code and month, as SAKTI gives it (workflow.anggaran)."""
    return [{"satker_id": satker.id, "tahun": tahun, "kode_output": kode, "bulan": bulan,
             "jumlah": rng.randint(0, 40) * 1_000_000, "diisi_pada": utcnow()}
            for kode in OUTPUT for bulan in range(1, 13)]


DIVERIFIKASI, DIAJUKAN = (1, 2, 3), 4
ANALISIS = ("Data dukung terlambat dari unit pelaksana.", "Koordinasi mingguan dengan unit pelaksana.",
            "Percepatan pengumpulan data dukung bulan berikutnya.")


def _akun(session: Session, ri: Satker, username: str, nama: str) -> User:
    """A generated account that signs the reports' steps; inactive: nobody signs in as it."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, full_name=nama, satker=ri, active=False, password_hash="!" + secrets.token_hex(8))
        session.add(user)
        session.flush()
    return user


def _laporan_periode(session: Session, offices: list[Satker], tahun: int) -> int:
    """January to March verified with an analysis per indikator, April submitted, for every
    PK without reports yet: bulk inserts, as the rest of the data."""
    ri = next(s for s in offices if s.tingkat is Tingkat.PUSAT)
    pelapor = _akun(session, ri, "generate.pelapor", "Pelapor Data Uji")
    pemverifikasi = _akun(session, ri, "generate.pemverifikasi", "Pemverifikasi Data Uji")
    pks = session.execute(select(Dokumen.id, Dokumen.nomor_revisi).where(
        Dokumen.satker_id.in_([s.id for s in offices]), Dokumen.tahun == tahun, Dokumen.jenis == JenisDokumen.PK_KOMISI,
        Dokumen.id.not_in(select(LaporanPeriode.dokumen_id)))).all()
    if not pks:
        return 0
    now = datetime.now(UTC)
    diajukan = {"diajukan_oleh_id": pelapor.id, "diajukan_pada": now, "nomor_revisi": 0, "versi": 1}
    verified = {"diverifikasi_oleh_id": pemverifikasi.id, "diverifikasi_pada": now}
    rows = [{"dokumen_id": d, "periode": b, "status": StatusLaporan.TERVERIFIKASI.value, **diajukan, **verified}
            for d, _n in pks for b in DIVERIFIKASI]
    rows += [{"dokumen_id": d, "periode": DIAJUKAN, "status": StatusLaporan.DIAJUKAN.value, **diajukan} for d, _n in pks]
    session.execute(insert(LaporanPeriode), rows)
    ids = session.execute(select(LaporanPeriode.id, LaporanPeriode.status, LaporanPeriode.dokumen_id)
                          .where(LaporanPeriode.dokumen_id.in_([d for d, _n in pks]))).all()
    session.execute(insert(RevisiLaporan), [
        {"laporan_id": i, "nomor": 0, **(verified if s == StatusLaporan.TERVERIFIKASI.value else {})} for i, s, _d in ids])
    kunci = _kunci_indikator(session, [d for d, _n in pks])
    session.execute(insert(AnalisisIndikator), [
        {"laporan_id": i, "nomor_revisi": 0, "indikator_kunci": k, "kendala": ANALISIS[0], "upaya": ANALISIS[1],
         "rencana": ANALISIS[2]} for i, s, d in ids if s == StatusLaporan.TERVERIFIKASI.value for k in kunci[d]])
    return len(rows)


def _bukti_periode(session: Session, offices: list[Satker], tahun: int) -> int:
    """One evidence file (a small PDF, kept in the database like an upload) per indikator of
    each PK Komisi for its first verified quarter (March), for PKs without evidence yet."""
    pelapor = session.scalar(select(User).where(User.username == "generate.pelapor"))
    pks = session.execute(select(Dokumen.id, Dokumen.nomor_revisi).where(
        Dokumen.satker_id.in_([s.id for s in offices]), Dokumen.tahun == tahun, Dokumen.jenis == JenisDokumen.PK_KOMISI,
        Dokumen.id.not_in(select(Bukti.dokumen_id)))).all()
    if not pks or pelapor is None:
        return 0
    isi = pdf_kecil("Bukti dukung data uji")
    sidik, now = hashlib.sha256(isi).hexdigest(), datetime.now(UTC)
    kunci = _kunci_indikator(session, [d for d, _n in pks])
    rows = [{"dokumen_id": d, "sasaran": "indikator", "kunci": k, "periode": DIVERIFIKASI[-1], "revisi_nomor": n,
             "nama": "notulen-rapat.pdf", "mime": "application/pdf", "ukuran": len(isi), "sha256": sidik,
             "penyimpanan": "db", "lokasi": secrets.token_hex(16), "diunggah_oleh_id": pelapor.id, "diunggah_pada": now}
            for d, n in pks for k in kunci[d]]
    session.execute(insert(Bukti), rows)
    session.execute(insert(BuktiPotongan), [{"lokasi": r["lokasi"], "urutan": 0, "isi": isi} for r in rows])
    return len(rows)


def _kunci_indikator(session: Session, dokumen_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {d: [] for d in dokumen_ids}
    for d, k in session.execute(select(Dokumen.id, Indikator.kunci).join(
            Revisi, (Revisi.dokumen_id == Dokumen.id) & (Revisi.nomor == Dokumen.nomor_revisi))
            .join(Indikator, Indikator.revisi_id == Revisi.id).where(Dokumen.id.in_(dokumen_ids))):
        found[d].append(k)
    return found


def generate(session: Session, tahun: int, rak_rows: int = 40, seed: int = 2024,
             progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Fill the database (its 553 offices must be loaded). Flushes and gives the planner
    statistics on what it wrote (inside the transaction: they commit with it); the caller
    commits."""
    rng = random.Random(seed)
    uang = random.Random(seed + 1)  # a stream of its own: the other figures stay those of earlier runs
    step = progress or (lambda _label, _n: None)
    offices = list(session.scalars(select(Satker).order_by(Satker.path)))
    ri = next(s for s in offices if s.tingkat is Tingkat.PUSAT)
    pk_ri = _pk_ri(session, ri, tahun)
    cascade.turunkan(session, pk_ri, None)
    step("PK nasional diturunkan ke provinsi", 1)
    for province in (s for s in offices if s.tingkat is Tingkat.PROVINSI):
        cascade.turunkan(session, operations.cari_dokumen(session, province, tahun, JenisDokumen.PK_KOMISI), None)
        step("PK provinsi diturunkan", 1)
    counts = {"satker": len(offices), "baris_rak": 0, "realisasi": 0, "realisasi_output": 0}
    for satker in offices:
        pk = operations.cari_dokumen(session, satker, tahun, JenisDokumen.PK_KOMISI)
        existing = session.scalar(select(Realisasi.id).where(Realisasi.dokumen_id == pk.id).limit(1))
        if existing is None:
            rows = _realisation_rows(rng, pk)
            session.execute(insert(Realisasi), rows)
            counts["realisasi"] += len(rows)
        if operations.cari_dokumen(session, satker, tahun, JenisDokumen.RAK_SEKRETARIAT) is None:
            rak = operations.buat_dokumen(session, satker, tahun, JenisDokumen.RAK_SEKRETARIAT, None)
            counts["baris_rak"] += operations.isi_baris_massal(session, rak, _rak_rows(rng, rak_rows), None)
        if session.scalar(select(RealisasiOutput.id).where(RealisasiOutput.satker_id == satker.id,
                                                           RealisasiOutput.tahun == tahun).limit(1)) is None:
            rows = _uang_rows(uang, satker, tahun)
            session.execute(insert(RealisasiOutput), rows)
            counts["realisasi_output"] += len(rows)
        step("Satker diisi", 1)
    counts["laporan_periode"] = _laporan_periode(session, offices, tahun)
    counts["bukti"] = _bukti_periode(session, offices, tahun)
    counts["evaluasi"] = evaluasi_tahun(session, tahun, seed)
    session.flush()
    refresh_statistics(session.connection())
    return counts


# The evaluations' states, by share of offices: most final, some on the way (evaluator's
# draft published, submitted, still filled by the office).
STATUS_EVALUASI = ((StatusEvaluasi.FINAL, 0.85), (StatusEvaluasi.DITERBITKAN, 0.05),
                   (StatusEvaluasi.DIAJUKAN, 0.05), (StatusEvaluasi.DRAF, 0.05))
ALASAN_A = "Dipertahankan sejak tahun sebelumnya dan dimanfaatkan dalam perencanaan."


def _status_acak(rng: random.Random) -> StatusEvaluasi:
    x, batas = rng.random(), 0.0
    for status, bagian in STATUS_EVALUASI:
        batas += bagian
        if x < batas:
            return status
    return StatusEvaluasi.FINAL


def evaluasi_tahun(session: Session, tahun: int, seed: int = 2024) -> int:
    """The year's evaluation of every office below KPU RI without one: answers drawn around
    an office's own level (so scores and predikat vary), every answer agreed with, each
    sub-component graded as proposed (A now and then at 100 %), final ones hashed with a
    verification code exactly as finalising writes them. Also what the recap's bench calls
    for the years before. Returns how many were added.

    Bulk inserts of new rows, as the rest of the data set, on the session's connection:
    the evaluation's guard (``workflow.evaluasi.immutability``) refuses every bulk
    statement of the ORM on its tables, for the application's paths; new rows change no
    evaluation, and tests/test_generate.py checks that each final one is what finalising
    would have written (the verification page recomputes it from these rows)."""
    rng = random.Random(seed + 2 + tahun)  # its own stream per year: the other figures stay as they were
    offices = list(session.scalars(select(Satker).order_by(Satker.path)))
    punya = set(session.scalars(select(Evaluasi.satker_id).where(Evaluasi.tahun == tahun)))
    kantor = [s for s in offices if s.parent_id is not None and s.id not in punya]
    if not kantor:
        return 0
    lembar = lke.versi_berlaku(session)
    ri = next(s for s in offices if s.tingkat is Tingkat.PUSAT)
    pelapor = _akun(session, ri, "generate.pelapor", "Pelapor Data Uji")
    evaluator = _akun(session, ri, "generate.evaluator", "Evaluator Data Uji")
    kode_terpakai = set(session.scalars(select(Revisi.kode_verifikasi).where(Revisi.kode_verifikasi.is_not(None))))
    kode_terpakai |= set(session.scalars(select(Evaluasi.kode_verifikasi).where(Evaluasi.kode_verifikasi.is_not(None))))
    now = datetime.now(UTC)
    # The LHE's signer as finalising writes it for KPU RI's inspektorat (flow.penanda_lhe).
    orang = {"pelapor": pelapor.id, "evaluator": evaluator.id, "pada": now,
             "penanda": {"difinalkan_nama": evaluator.full_name, "difinalkan_jabatan": "Inspektorat Utama",
                         "difinalkan_kantor": ri.nama, "difinalkan_tempat": "Jakarta"}}
    evaluasi, jawaban, nilai = [], {}, {}
    for satker in kantor:
        status, mutu = _status_acak(rng), rng.uniform(0.3, 1.0)
        jawaban[satker.id] = {k.kode: "Y" if rng.random() < mutu else "T" for k in lembar.kriteria}
        row = {"satker_id": satker.id, "tahun": tahun, "lke_versi_id": lembar.id, "status": status, "versi": 1,
               "dibuat_pada": now, **_langkah(status, orang), **BELUM_FINAL}
        if status in (StatusEvaluasi.DITERBITKAN, StatusEvaluasi.FINAL):
            nilai[satker.id] = _nilai_acak(rng, lembar, jawaban[satker.id])
        if status is StatusEvaluasi.FINAL:
            row |= _final(satker, tahun, lembar, jawaban[satker.id], nilai[satker.id], _kode_baru(rng, kode_terpakai))
        evaluasi.append(row)
    _sisipkan_evaluasi(session, tahun, lembar, orang, evaluasi, jawaban, nilai)
    return len(kantor)


def _sisipkan_evaluasi(session: Session, tahun: int, lembar, orang: dict, evaluasi: list[dict],
                       jawaban: dict[int, dict[str, str]], nilai: dict) -> None:
    """The evaluations, their answers and grades, in three bulk inserts."""
    conn, now, evaluator = session.connection(), orang["pada"], orang["evaluator"]
    conn.execute(insert(Evaluasi.__table__), evaluasi)
    ids = dict(session.execute(select(Evaluasi.satker_id, Evaluasi.id).where(
        Evaluasi.tahun == tahun, Evaluasi.satker_id.in_(list(jawaban)))).all())
    conn.execute(insert(Jawaban.__table__), [
        {"evaluasi_id": ids[s], "kriteria_id": k.id, "jawaban": j[k.kode], "catatan": CATATAN_EVALUASI,
         "diisi_oleh_id": orang["pelapor"], "diisi_pada": now, "setuju": True if s in nilai else None,
         "dinilai_oleh_id": evaluator if s in nilai else None, "dinilai_pada": now if s in nilai else None,
         "perlu_bukti": False, "versi": 1} for s, j in jawaban.items() for k in lembar.kriteria])
    rows = [{"evaluasi_id": ids[s], "subkomponen_id": sub.id, "nilai": n.value, "alasan": alasan,
             "dinilai_oleh_id": evaluator, "dinilai_pada": now, "versi": 1}
            for s, grades in nilai.items() for sub, (n, alasan) in zip(lembar.subkomponen, grades)]
    if rows:
        conn.execute(insert(NilaiSubkomponen.__table__), rows)


CATATAN_EVALUASI = "Data dukung terlampir."
BELUM_FINAL = {"skor_total": None, "predikat": None, "isi_final": None, "hash_isi": None, "kode_verifikasi": None}


def _langkah(status: StatusEvaluasi, orang: dict) -> dict:
    """Who submitted, published and finalised, and when, as far as ``status`` goes."""
    kosong = {"diajukan_oleh_id": None, "diajukan_pada": None, "diterbitkan_oleh_id": None,
              "diterbitkan_pada": None, "difinalkan_oleh_id": None, "difinalkan_pada": None,
              **dict.fromkeys(orang["penanda"])}
    if status is StatusEvaluasi.DRAF:
        return kosong
    found = kosong | {"diajukan_oleh_id": orang["pelapor"], "diajukan_pada": orang["pada"]}
    if status in (StatusEvaluasi.DITERBITKAN, StatusEvaluasi.FINAL):
        found |= {"diterbitkan_oleh_id": orang["evaluator"], "diterbitkan_pada": orang["pada"]}
    if status is StatusEvaluasi.FINAL:
        found |= {"difinalkan_oleh_id": orang["evaluator"], "difinalkan_pada": orang["pada"], **orang["penanda"]}
    return found


def _nilai_acak(rng: random.Random, lembar, jawaban: dict[str, str]) -> list[tuple[skor.Nilai, str | None]]:
    found = []
    for s in lembar.subkomponen:
        terpenuhi = sum(1 for k in s.kriteria if jawaban[k.kode] == "Y")
        if terpenuhi == len(s.kriteria) and rng.random() < 0.3:
            found.append((skor.Nilai.A, ALASAN_A))
        else:
            found.append((skor.usulan(terpenuhi, len(s.kriteria)), None))
    return found


def _kode_baru(rng: random.Random, terpakai: set[str]) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        raw = "".join(rng.choice(alphabet) for _ in range(8))
        kode = f"{raw[:4]}-{raw[4:]}"
        if kode not in terpakai:
            terpakai.add(kode)
            return kode


def _final(satker: Satker, tahun: int, lembar, jawaban: dict[str, str], nilai, kode: str) -> dict:
    """What finalising stores (``workflow.evaluasi.flow``), built from the rows being
    written: the canonical content (``canonical.isi`` reads the same from the database,
    tests/test_generate.py compares the two), its hash, the total and the predikat."""
    angka = lambda v: str(skor.dua_desimal(v))  # noqa: E731 - canonical's own form of a number
    grades = dict(zip((s.kode for s in lembar.subkomponen), nilai))
    komponen = []
    for k in lembar.komponen:
        subs = []
        for s in k.subkomponen:
            n, alasan = grades[s.kode]
            terpenuhi = sum(1 for c in s.kriteria if jawaban[c.kode] == "Y")
            subs.append({"kode": s.kode, "bobot": angka(s.bobot), "jumlah": len(s.kriteria), "terpenuhi": terpenuhi,
                         "usulan": skor.usulan(terpenuhi, len(s.kriteria)).value, "nilai": n.value, "alasan": alasan,
                         "skor": angka(skor.skor(n, s.bobot))})
        komponen.append({"kode": k.kode, "bobot": angka(k.bobot), "skor": angka(
            skor.jumlah(skor.skor(grades[s.kode][0], s.bobot) for s in k.subkomponen)), "subkomponen": subs})
    total = skor.jumlah(skor.skor(n, s.bobot) for s, (n, _a) in zip(lembar.subkomponen, nilai))
    data = {"satker": satker.kode, "tahun": tahun, "lke": lembar.nama, "komponen": komponen,
            "total": angka(total), "predikat": skor.predikat(total),
            "kriteria": [{"kode": k.kode, "jawaban": jawaban[k.kode], "catatan": CATATAN_EVALUASI, "tautan": [],
                          "setuju": True, "komentar": None, "usulan": None} for k in lembar.kriteria],
            "temuan": []}
    teks = canonical.teks(data)
    return {"isi_final": teks, "hash_isi": canonical.hash_teks(teks), "skor_total": skor.dua_desimal(total),
            "predikat": data["predikat"], "kode_verifikasi": kode}
