"""Hostile input (issue 6, point 5): every POST form fuzzed with hypothesis.

Each form gets values that offices never mean to type but a browser can send: unicode
(right-to-left, emoji, combining marks), control characters (NUL included: the gate
answers 400), 100 000-character strings, "NaN", "Infinity", "1e309", negative money,
``1.234.567,89``, formula text, markup, whitespace only, fields left out and fields sent
twice; posted through the real test client with a valid CSRF token and the document's
current version (and sometimes a stale or hostile one).

For every case: the status is never 500 (an exception is one too: TESTING propagates it);
a refusal (4xx, or the form shown again) leaves the whole database exactly as it was
(every row of every table, and the canonical text of every revision); an accepted post
stores what the user would read back (the value as the app normalises it, parsed again
to the same thing). ``test_every_post_route_is_fuzzed_or_excused`` walks ``app.url_map``,
so a new form cannot be forgotten.

Examples per form: ``SAKIP_FUZZ_EXAMPLES`` (default 25), derandomized so CI is
reproducible. Counts go to the run's summary (tests/conftest.CASE_COUNTS).
"""
from __future__ import annotations

import hashlib
import io
import os
import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple
from urllib.parse import quote

import pytest
import sqlalchemy as sa
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.import_corpus import corpus
from tests.conftest import CASE_COUNTS, csrf_token_from, totp_code
from tests.documents import baris_contoh
from tests.factories import TEST_PASSWORD
from tenants.db import db as _db
from workflow import schedule
from workflow.dokumen import bab_lkj as lkj, canonical, operations
from workflow.dokumen.models import AlasanRevisi, Dokumen, JenisDokumen, Status
from workflow.realisasi import operations as realisasi_ops
from workflow.rupiah import baca_rupiah
from workflow.schedule import BentukJadwal
from workflow.target import Polaritas, baca_target, tulis_target
from workflow.tindaklanjut.models import TindakLanjut

EXAMPLES = int(os.environ.get("SAKIP_FUZZ_EXAMPLES", "25"))

# -- hostile values ------------------------------------------------------------------------------

NASTY = [
    "", " ", "   \t  ", "\u3000\u00a0\u2028", "\r\n\r\n", "\n", "\t",
    "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "1e309", "-1e309", "1e-309", "9e999999",
    "-1", "-0", "0", "00000", "+5", "-Rp 5.000", "Rp -5.000", "Rp 5.000-", "(5.000)", "1.234.567,89",
    "1,234,567.89", "1.234.567,89%", "-1.234.567,89%", "-97,5%", "0x1F", "1_000", "٣٤٥", "１２３", "²", "Ⅻ", "½",
    "𝟗𝟕,𝟓%", "99999999999999999999999999", "Rp 99.999.999.999.999.999.999",
    "=1+1", "=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\n=1+1",
    '=HYPERLINK("http://evil.example","klik")',
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{7*7}}", "${7*7}", "%(x)s", "%s%s%s%n",
    "'; DROP TABLE dokumen; --", "\\", "../../etc/passwd",
    "\u202eRTL override", "مرحبا بالعالم", "שלום", "👍🏽👨‍👩‍👧‍👦🇮🇩", "e\u0301\u0302\u0303\u0304", "Z̸̢̛a̵l̷g̶o̸",
    "\ufeffBOM", "\u200b\u200d", "\ufffe\uffff", "\U0010ffff",
    "\x01\x02\x03\x07\x08\x0b\x0c\x0e\x1b[31m\x7f", "\x85", "\x00", "a\x00b",
    "WTP", "BB", "AA", "97,5%", "2 Laporan",
]


class Besar(str):
    """A huge value that prints short in hypothesis' reports."""

    def __repr__(self) -> str:
        return f"<{len(self)} characters: {str(self[:12])!r}...>"


HUGE = [Besar(v) for v in ("A" * 100_000, "=1+1\n" * 20_000, "é" * 100_000, "9" * 100_000, " " * 100_000,
                           "Rp " + "9" * 1000)]

TEKS = st.text(st.characters(codec="utf-8"), max_size=30)  # no lone surrogates: a browser cannot send them
# A huge string in one case of about twelve per field: most cases keep to one field's trouble.
HOSTILE = st.one_of(st.sampled_from(NASTY * 4 + HUGE), TEKS)


class Isian(NamedTuple):
    """A field's values: what an office would type, and the hostile ones."""

    baik: st.SearchStrategy
    jahat: st.SearchStrategy


def nilai(*valid: str) -> Isian:
    return Isian(st.sampled_from(valid) if valid else HOSTILE, HOSTILE)


URL_HOSTILE = HOSTILE.filter(lambda s: "\x00" not in s)  # in a URL path (NUL there is the gate's 400)


def mostly(usual: st.SearchStrategy, rare: st.SearchStrategy, in_ten: int = 8) -> st.SearchStrategy:
    """``usual`` in about ``in_ten`` cases of ten, else ``rare`` (one_of leaves the mix to hypothesis)."""
    return st.integers(0, 9).flatmap(lambda i: usual if i < in_ten else rare)


def either(field: Isian) -> st.SearchStrategy:
    return st.one_of(field.baik, field.jahat)


CURRENT = object()  # stands for the document's current version, read just before posting
VERSI = Isian(st.just(CURRENT), st.one_of(st.sampled_from(["0", "1", "-1", "²", "NaN", "99999999999999999999"]), HOSTILE))
MASS = st.sampled_from([("status", "reviewed"), ("satker_id", "1"), ("dokumen_id", "1"), ("hash_isi", "0" * 64),
                        ("id", "1"), ("diajukan_oleh_id", "1"), ("nomor_revisi", "7")])


@st.composite
def isian(draw, fields: dict[str, Isian]):
    """Form data as (name, value) pairs: up to three fields are hostile (a hostile value,
    left out, or sent twice), the others hold what an office would type; sometimes a field
    the form does not have (mass assignment)."""
    names = list(fields)
    how_many = min(len(names), (0, 0, 0, 1, 1, 1, 1, 2, 2, 3)[draw(st.integers(0, 9))])
    jahat = set(draw(st.permutations(names))[:how_many]) if names else set()
    pairs = []
    for name, field in fields.items():
        if name not in jahat:
            pairs.append((name, draw(field.baik)))
            continue
        times = draw(st.sampled_from([1, 1, 1, 0, 2]))
        pairs += [(name, draw(st.one_of(field.jahat, field.baik) if times == 2 else field.jahat))
                  for _ in range(times)]
    if draw(st.integers(0, 4)) == 0:
        pairs.append(draw(MASS))
    return pairs


def first(pairs, name, default=None):
    return next((v for k, v in pairs if k == name), default)


def norm(text: str | None) -> str | None:
    """What operations._bersih keeps: whitespace runs as one space, nothing when blank."""
    return " ".join((text or "").split()) or None


# -- the harness -----------------------------------------------------------------------------------

STATS: dict[str, dict[str, Counter]] = {}
STATUSES: Counter = Counter()
REASONS: Counter = Counter()


def _record(backend: str, form: str, outcomes: Counter) -> None:
    per_form = STATS.setdefault(backend, {})
    per_form.setdefault(form, Counter()).update(outcomes)
    total = Counter()
    for c in per_form.values():
        total.update(c)
    cases = sum(total.values())
    rincian = ", ".join(f"{name} {c['accepted']}/{sum(c.values())}" for name, c in per_form.items())
    CASE_COUNTS[f"fuzz: hostile form posts ({backend})"] = (
        f"{cases} cases over {len(per_form)} forms, 0 with status 500; {total['accepted']} accepted and read back, "
        f"{cases - total['accepted']} refused with nothing saved (accepted/cases: {rincian})")


# A dry run of the import stores what it showed (token, content, digest) to apply it later:
# that is the preview's own store, not the document, so it may change on any import post.
NOT_CONTENT = {"impor_tertunda"}


def snapshot(db) -> dict:
    """Every row of every table (but NOT_CONTENT), and the canonical text of every revision."""
    db.session.expire_all()
    state = {}
    for table in _db.metadata.sorted_tables:
        if table.name in NOT_CONTENT:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        state[table.name] = [tuple(r) for r in db.session.execute(sa.select(table).order_by(*order))]
    from workflow.dokumen.models import Revisi

    state["canonical"] = [canonical.teks(r) for r in db.session.scalars(sa.select(Revisi).order_by(Revisi.id))]
    return state


def _diff(before: dict, after: dict) -> str:
    parts = []
    for name in before:
        if before[name] == after[name]:
            continue
        if len(before[name]) != len(after[name]):
            parts.append(f"{name}: {len(before[name])} -> {len(after[name])} rows")
            continue
        old, new = next((a, b) for a, b in zip(before[name], after[name]) if a != b)
        parts.append(f"{name}: {str(old)[:300]} -> {str(new)[:300]}")
    return "; ".join(parts)


class Poster:
    """Posts through the test client with the session's CSRF token."""

    def __init__(self, client, page: str) -> None:
        self.client, self.page, self._token = client, page, None

    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token_from(self.client.get(self.page).text)
        return self._token

    def post(self, url: str, pairs, *, files=None, csrf=True):
        data = MultiDict(([("csrf_token", self.token())] if csrf else []) + list(pairs))
        if files:
            for name, item in files:
                data.add(name, item)
        response = self.client.post(url, data=data, content_type="multipart/form-data" if files else None)
        if response.status_code in (302, 303) or response.status_code == 400:
            self._token = None  # a sign-in or a refused token: read a fresh one next time
        return response


def versi_of(db, dokumen_id: int) -> str:
    db.session.expire_all()
    return str(db.session.get(Dokumen, dokumen_id).versi)


def fill(pairs, versi: str):
    return [(k, versi if v is CURRENT else v) for k, v in pairs]


def run_fuzz(backend: str, form: str, strategy, case, examples: int = EXAMPLES) -> Counter:
    """Run ``case(drawn)`` for ``examples`` drawn values; it returns 'accepted' or 'refused'."""
    outcomes: Counter = Counter()

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(drawn):
        outcomes[case(drawn)] += 1

    run()
    _record(backend, form, outcomes)
    return outcomes


def judge(db, response, before: dict, accepted_status=(302,), *, accepted=None) -> str:
    """status != 500; a refusal saved nothing. Returns 'accepted' or 'refused'."""
    assert response.status_code != 500, response.text[:2000]
    ok = response.status_code in accepted_status if accepted is None else accepted
    if os.environ.get("SAKIP_FUZZ_DEBUG"):
        STATUSES[response.status_code] += 1
        if not ok and response.status_code >= 400:
            found = re.findall(r'class="alert alert-danger[^"]*"[^>]*>(.*?)</', response.text, re.S)
            REASONS[(response.status_code, (found[0].strip()[:80] if found else response.text[:80]))] += 1
    if not ok:
        after = snapshot(db)
        assert after == before, f"refused with {response.status_code} but saved: {_diff(before, after)}"
        return "refused"
    return "accepted"


# -- documents to fuzz -------------------------------------------------------------------------------

@pytest.fixture
def pk(make_dokumen):
    return make_dokumen("pk_komisi")  # the ketua's: two sasaran with two indikator each


@pytest.fixture
def rak(make_dokumen):
    return make_dokumen("rak_sekretariat", baris=3)


def _signed(db, tree, batu, jenis: JenisDokumen, tahun: int) -> Dokumen:
    dokumen = operations.buat_dokumen(db.session, tree["35.79"], tahun, jenis, None)
    penyusun = getattr(batu, jenis.penyusun.value)
    if jenis.bentuk.name == "RAK":
        operations.simpan_baris(db.session, dokumen, penyusun, baris_contoh(1, "kul"))
        operations.simpan_baris(db.session, dokumen, penyusun, baris_contoh(2, "rendatin"))
    else:
        s = operations.simpan_sasaran(db.session, dokumen, penyusun, "Sasaran uji")
        for uraian, target in (("Persentase partisipasi", "80%"), ("Jumlah laporan", "12 Laporan"),
                               ("Nilai SAKIP", "BB"), ("Opini BPK", "WTP")):
            operations.simpan_indikator(db.session, dokumen, penyusun, s.kunci, uraian, target)
    operations.ajukan(db.session, dokumen, penyusun)
    for role in ("sekretaris", "ketua") if jenis in (JenisDokumen.RAK_SEKRETARIAT, JenisDokumen.PK_SEKRETARIAT) else ("ketua",):
        operations.tandatangani(db.session, dokumen, getattr(batu, role))
    db.session.commit()
    return dokumen


# -- sasaran and indikator ------------------------------------------------------------------------

TEKS_BAIK = ("Terwujudnya tahapan Pemilu sesuai jadwal", "  Meningkatnya\tpartisipasi  pemilih ", "Persentase 97,5%")
TARGET_BAIK = ("97,5%", "100%", "2 Laporan", "2.498 Orang", "3,5", "BB", "WTP", "0,5%", "12 Kali", "1.234.567,89")


def kunci_pilihan(existing: list[str]) -> st.SearchStrategy:
    """A row's key in the URL: a real one, none (a new row), or a hostile one."""
    return mostly(st.sampled_from(existing + [None, None]), URL_HOSTILE)


def url_part(value: str) -> str:
    return quote(value, safe="") or "%20"


def test_sasaran(db, backend, client, login, batu, pk):
    login(batu.ketua)
    poster = Poster(client, f"/dokumen/{pk.id}/sasaran")
    kunci_awal = [s.kunci for s in pk.revisi_aktif.sasaran]
    fields = {"uraian": nilai(*TEKS_BAIK), "tujuan": nilai(*TEKS_BAIK, ""), "versi": VERSI}

    def case(drawn):
        kunci, pairs = drawn
        url = f"/dokumen/{pk.id}/sasaran" + ("" if kunci is None else "/" + url_part(kunci))
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, pk.id))
        response = poster.post(url, pairs)
        outcome = judge(db, response, before)
        if outcome == "accepted":
            db.session.expire_all()
            sasaran = db.session.get(Dokumen, pk.id).revisi_aktif.sasaran
            row = next(s for s in sasaran if s.kunci == kunci) if kunci else sasaran[-1]
            assert (row.uraian, row.tujuan) == (norm(first(pairs, "uraian")), norm(first(pairs, "tujuan")))
        return outcome

    run_fuzz(backend, "sasaran", st.tuples(kunci_pilihan(kunci_awal), isian(fields)), case)


def _target_sama(stored_text: str, sent: str) -> None:
    """The stored target reads back as what was sent, and its own spelling reads the same."""
    dibaca = baca_target(sent)
    assert stored_text == tulis_target(dibaca.jenis, dibaca.nilai, dibaca.kode, dibaca.satuan)
    again = baca_target(stored_text)
    assert (again.jenis, again.nilai, again.kode, again.satuan) == (dibaca.jenis, dibaca.nilai, dibaca.kode, dibaca.satuan)


def test_indikator(db, backend, client, login, batu, pk):
    login(batu.ketua)
    poster = Poster(client, f"/dokumen/{pk.id}/sasaran")
    sasaran = pk.revisi_aktif.sasaran[0]
    indikator_awal = [i.kunci for i in sasaran.indikator]
    pelaksana = [v for v, _label in operations.pilihan_pelaksana_indikator(pk.jenis)]
    fields = {"uraian": nilai(*TEKS_BAIK), "target": nilai(*TARGET_BAIK),
              "polaritas": nilai(*(p.value for p in Polaritas)), "pelaksana": nilai("", *pelaksana),
              "cara_agregasi": nilai("", "jumlah", "terakhir", "rata_rata"), "versi": VERSI}

    def case(drawn):
        sasaran_kunci, kunci, pairs = drawn
        url = (f"/dokumen/{pk.id}/sasaran/{url_part(sasaran_kunci)}/indikator"
               + ("" if kunci is None else "/" + url_part(kunci)))
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, pk.id))
        response = poster.post(url, pairs)
        outcome = judge(db, response, before)
        if outcome == "accepted":
            db.session.expire_all()
            s = next(s for s in db.session.get(Dokumen, pk.id).revisi_aktif.sasaran if s.kunci == sasaran_kunci)
            row = next(i for i in s.indikator if i.kunci == kunci) if kunci else s.indikator[-1]
            assert row.uraian == norm(first(pairs, "uraian"))
            _target_sama(row.target, first(pairs, "target"))
            assert row.polaritas.value == first(pairs, "polaritas")
            for name in ("pelaksana", "cara_agregasi"):
                if first(pairs, name) is not None:
                    assert getattr(row, name) == (first(pairs, name) or None), name
        return outcome

    strategy = st.tuples(mostly(st.just(sasaran.kunci), URL_HOSTILE),
                         kunci_pilihan(indikator_awal), isian(fields))
    run_fuzz(backend, "indikator", strategy, case)


# -- RAK rows ----------------------------------------------------------------------------------------

RUPIAH_BAIK = ("Rp 10.604.086.100", "Rp. 99.498.000,-", "2500000", "0", "")
JADWAL = st.one_of(st.sampled_from([str(n) for n in range(0, 50)] + ["99999999999999999999"]), HOSTILE)


def test_baris(db, backend, client, login, batu, rak):
    login(batu.sekretaris)
    poster = Poster(client, f"/dokumen/{rak.id}/baris")
    kunci_awal = [b.kunci for b in rak.revisi_aktif.baris]
    pelaksana = [v for v, _label in operations.pilihan_pelaksana(rak.jenis)]
    fields = {"sasaran": nilai(*TEKS_BAIK, ""), "indikator": nilai(*TEKS_BAIK), "target": nilai(*TARGET_BAIK, ""),
              "polaritas": nilai(*(p.value for p in Polaritas)),
              "kegiatan": nilai("Rapat koordinasi\nMonitoring", "- Bimtek\r\n\r\n- Supervisi", ""),
              "kode_output": nilai("CQ.6709.QGE.003", " wa.3355.eba.994 ", ""), "biaya": nilai(*RUPIAH_BAIK),
              "pelaksana": nilai("", *pelaksana), "versi": VERSI}

    @st.composite
    def post_baris(draw):
        pairs = draw(isian(fields))
        pairs += [("jadwal", draw(JADWAL)) for _ in range(draw(st.integers(0, 5)))]
        return draw(kunci_pilihan(kunci_awal)), pairs

    def case(drawn):
        kunci, pairs = drawn
        url = f"/dokumen/{rak.id}/baris" + ("" if kunci is None else "/" + url_part(kunci))
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, rak.id))
        response = poster.post(url, pairs)
        outcome = judge(db, response, before)
        if outcome == "accepted":
            db.session.expire_all()
            baris = db.session.get(Dokumen, rak.id).revisi_aktif.baris
            row = next(b for b in baris if b.kunci == kunci) if kunci else baris[-1]
            assert row.sasaran == (norm(first(pairs, "sasaran")) or "")
            assert row.indikator == norm(first(pairs, "indikator"))
            if (first(pairs, "target") or "").strip():
                _target_sama(row.target, first(pairs, "target"))
            assert [k.uraian for k in row.kegiatan] == [n for n in map(norm, (first(pairs, "kegiatan") or "").splitlines()) if n]
            assert row.kode_output == ((first(pairs, "kode_output") or "").strip().upper() or None)
            biaya = (first(pairs, "biaya") or "").strip()
            assert row.biaya == (baca_rupiah(biaya) if biaya else None)
            assert row.pelaksana == (first(pairs, "pelaksana") or None)
            chosen = sorted({int(v) for k, v in pairs if k == "jadwal" and v.isascii() and v.isdigit()})
            bentuk = db.session.get(Dokumen, rak.id).revisi_aktif.bentuk_jadwal or BentukJadwal.BULAN
            assert [i + 1 for i, on in enumerate(schedule.sel(row.jadwal, bentuk)) if on] == chosen
        return outcome

    run_fuzz(backend, "baris", post_baris(), case)


def test_a_unit_fuzzing_rows_touches_only_its_own(db, backend, client, login, batu, rak):
    """The same form as a subbagian: every accepted row is its own unit's."""
    login(batu.subbag_kul)
    poster = Poster(client, f"/dokumen/{rak.id}/baris")
    fields = {"indikator": nilai(*TEKS_BAIK), "target": nilai(*TARGET_BAIK), "polaritas": nilai("naik"),
              "kegiatan": nilai("Rapat"), "pelaksana": nilai("kul", "rendatin", "semua", ""), "biaya": nilai(*RUPIAH_BAIK),
              "versi": VERSI}
    kunci_awal = [b.kunci for b in rak.revisi_aktif.baris]

    def case(drawn):
        kunci, pairs = drawn
        url = f"/dokumen/{rak.id}/baris" + ("" if kunci is None else "/" + url_part(kunci))
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, rak.id))
        outcome = judge(db, poster.post(url, pairs), before)
        if outcome == "accepted":
            db.session.expire_all()
            assert {b.pelaksana for b in db.session.get(Dokumen, rak.id).revisi_aktif.baris} == {"kul"}
        return outcome

    run_fuzz(backend, "baris (subbagian)", st.tuples(kunci_pilihan(kunci_awal), isian(fields)), case)


# -- header and programs -------------------------------------------------------------------------------

TANGGAL = nilai("2024-01-02", "", "2024-02-30", "0001-01-01", "9999-12-31", "02/01/2024", "2024-1-2", "20240102")
PROGRAM_INDEX = st.sampled_from(["0", "1", "2", "19", "20", "-1", "²", "99999999999999999999", "1 ", "x"])


def test_kepala(db, backend, client, login, batu, rak):
    login(batu.sekretaris)
    poster = Poster(client, f"/dokumen/{rak.id}/kepala")
    fields = {"tempat": nilai("Batu", " Kota  Batu ", "+Batu"), "tanggal": TANGGAL, "dipa_nomor": nilai("SP DIPA-076.01.2.654321/2024"),
              "dipa_tanggal": TANGGAL, "pagu": nilai(*RUPIAH_BAIK), "bentuk_jadwal": nilai(*(b.value for b in BentukJadwal)),
              "versi": VERSI}

    @st.composite
    def post_kepala(draw):
        pairs = draw(isian(fields))
        for _ in range(draw(st.integers(0, 3))):
            index = draw(PROGRAM_INDEX)
            pairs += [(f"program-{index}-kode", draw(either(nilai("076.01.CQ", "076.01.WA")))),
                      (f"program-{index}-nama", draw(either(nilai("Program Dukungan Manajemen")))),
                      (f"program-{index}-anggaran", draw(either(nilai(*RUPIAH_BAIK))))]
        return pairs

    def case(pairs):
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, rak.id))
        outcome = judge(db, poster.post(f"/dokumen/{rak.id}/kepala", pairs), before)
        if outcome == "accepted":
            db.session.expire_all()
            revisi = db.session.get(Dokumen, rak.id).revisi_aktif
            assert revisi.tempat == norm(first(pairs, "tempat"))
            assert revisi.dipa_nomor == norm(first(pairs, "dipa_nomor"))
            for name in ("tanggal", "dipa_tanggal"):
                sent = " ".join(v for k, v in pairs if k == name)  # how wtforms' DateField reads it
                expected = datetime.strptime(sent, "%Y-%m-%d").date() if sent.strip() else None
                assert getattr(revisi, name) == expected, name
            pagu = (first(pairs, "pagu") or "").strip()
            assert revisi.pagu == (baca_rupiah(pagu) if pagu else None)
            indices = sorted({int(k.split("-")[1]) for k, _ in pairs
                              if k.startswith("program-") and k.split("-")[1].isascii() and k.split("-")[1].isdigit()})
            expected = []
            for i in indices:
                kode, nama, anggaran = (first(pairs, f"program-{i}-{f}") or "" for f in ("kode", "nama", "anggaran"))
                anggaran = baca_rupiah(anggaran) if anggaran.strip() else 0
                if kode or nama or anggaran:
                    expected.append((norm(kode), norm(nama), anggaran))
            assert [(p.kode, p.nama, p.anggaran) for p in revisi.program] == expected
        return outcome

    run_fuzz(backend, "kepala", post_kepala(), case)


# -- LKj chapters and staff ----------------------------------------------------------------------------

@pytest.fixture
def lkj_doc(db, tree, batu):
    dokumen = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.LKJ, batu.sekretaris)
    db.session.commit()
    return dokumen


def test_bab_lkj(db, backend, client, login, batu, lkj_doc):
    login(batu.sekretaris)
    poster = Poster(client, f"/dokumen/{lkj_doc.id}/lkj/pegawai")
    babs = list(lkj.JUDUL_BAB)
    fields = {"teks": nilai("A. Latar Belakang\r\nKPU Kota Batu ...\n\n", "=1+1\nB. Kesimpulan", Besar("x" * 50_001),
                            "<p class=MsoNormal onclick=x()><b>A.</b> Satu<o:p></o:p></p><ul><li>dua</li></ul>"
                            "<script>alert(1)</script>", "<p>Ditulis sebagai teks</p>"),
              "format": nilai("html", ""), "versi": VERSI}

    def case(drawn):
        bab, pairs = drawn
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, lkj_doc.id))
        outcome = judge(db, poster.post(f"/dokumen/{lkj_doc.id}/lkj/bab/{url_part(bab)}", pairs), before)
        if outcome == "accepted":
            db.session.expire_all()
            isi = db.session.get(Dokumen, lkj_doc.id).revisi_aktif.lkj
            html = first(pairs, "format") == "html"  # the chapter editor's markup (static/naskah.js)
            assert getattr(isi, bab) == lkj.bersihkan_teks(first(pairs, "teks"), bab, html=html)
        return outcome

    strategy = st.tuples(mostly(st.sampled_from(babs), URL_HOSTILE), isian(fields))
    run_fuzz(backend, "bab_lkj", strategy, case)


def test_pegawai_lkj(db, backend, client, login, batu, lkj_doc):
    login(batu.sekretaris)
    poster = Poster(client, f"/dokumen/{lkj_doc.id}/lkj/pegawai")
    angka = nilai("0", "12", "100000", "100001", " 7 ", "")
    fields = {"pegawai_pns": angka, "pegawai_pppk": angka, "pegawai_ppnpn": angka, "versi": VERSI}

    def case(pairs):
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, lkj_doc.id))
        outcome = judge(db, poster.post(f"/dokumen/{lkj_doc.id}/lkj/pegawai", pairs), before)
        if outcome == "accepted":
            db.session.expire_all()
            isi = db.session.get(Dokumen, lkj_doc.id).revisi_aktif.lkj
            for name, _label in lkj.PEGAWAI:
                sent = (first(pairs, name) or "").strip()
                assert getattr(isi, name) == (int(sent) if sent else None), name
        return outcome

    run_fuzz(backend, "pegawai_lkj", isian(fields), case)


# -- deleting and moving rows ----------------------------------------------------------------------------

ARAH = nilai("1", "-1")


def test_hapus_and_geser(db, backend, client, login, batu, rak, pk):
    login(batu.sekretaris)
    ketua = login(batu.ketua, c=client.application.test_client())
    posters = {rak.id: Poster(client, f"/dokumen/{rak.id}"), pk.id: Poster(ketua, f"/dokumen/{pk.id}")}

    def topped_up():
        # Keep something to delete: a row or a sasaran is put back when few are left.
        db.session.expire_all()
        r, p = db.session.get(Dokumen, rak.id), db.session.get(Dokumen, pk.id)
        if len(r.revisi_aktif.baris) < 2:
            operations.simpan_baris(db.session, r, batu.sekretaris, baris_contoh(9, "kul"))
        if len(p.revisi_aktif.sasaran) < 2:
            s = operations.simpan_sasaran(db.session, p, batu.ketua, "Sasaran baru")
            operations.simpan_indikator(db.session, p, batu.ketua, s.kunci, "Indikator baru", "100%")
            operations.simpan_indikator(db.session, p, batu.ketua, s.kunci, "Indikator lain", "2 Laporan")
        db.session.commit()
        return r, p

    hostile_key = HOSTILE.filter(lambda s: "\x00" not in s and s.strip() != "")
    # Which row is drawn as a number and found in the live document when the case runs
    # (the strategy may not depend on what earlier cases did).
    key = mostly(st.integers(0, 9), hostile_key)
    strategy = st.tuples(st.sampled_from(["hapus_baris", "geser_baris", "hapus_sasaran", "geser_sasaran",
                                          "hapus_indikator", "geser_indikator"]),
                         key, st.integers(0, 9), key, isian({"versi": VERSI, "arah": ARAH}))

    def resolve(which, k, s_index, k_ind):
        r, p = topped_up()
        sasaran = p.revisi_aktif.sasaran
        s = sasaran[s_index % len(sasaran)]
        pick = lambda rows, k: k if isinstance(k, str) else rows[k % len(rows)].kunci  # noqa: E731
        if which.endswith("baris"):
            target, sasaran_kunci = pick(r.revisi_aktif.baris, k), None
            url = f"/dokumen/{rak.id}/baris/{url_part(target)}/hapus" if which.startswith("hapus") else \
                f"/dokumen/{rak.id}/geser/{url_part(target)}"
            return rak.id, url, sasaran_kunci, target
        if which.endswith("sasaran"):
            target = pick(sasaran, k)
            url = f"/dokumen/{pk.id}/sasaran/{url_part(target)}/hapus" if which.startswith("hapus") else \
                f"/dokumen/{pk.id}/geser/{url_part(target)}"
            return pk.id, url, None, target
        sasaran_kunci = s.kunci if not isinstance(k, str) else k
        target = pick(s.indikator, k_ind) if s.indikator or isinstance(k_ind, str) else "x"
        base = f"/dokumen/{pk.id}/sasaran/{url_part(sasaran_kunci)}"
        url = f"{base}/indikator/{url_part(target)}/hapus" if which.startswith("hapus") else f"{base}/geser/{url_part(target)}"
        return pk.id, url, sasaran_kunci, target

    def rows(dokumen_id, which, sasaran_kunci):
        d = db.session.get(Dokumen, dokumen_id).revisi_aktif
        if which.endswith("baris"):
            return [b.kunci for b in d.baris]
        if which.endswith("sasaran"):
            return [s.kunci for s in d.sasaran]
        return [i.kunci for s in d.sasaran if s.kunci == sasaran_kunci for i in s.indikator]

    def case(drawn):
        which, k, s_index, k_ind, pairs = drawn
        dokumen_id, url, sasaran_kunci, target = resolve(which, k, s_index, k_ind)
        before = snapshot(db)
        order = rows(dokumen_id, which, sasaran_kunci)
        pairs = fill(pairs, versi_of(db, dokumen_id))
        outcome = judge(db, posters[dokumen_id].post(url, pairs), before)
        if outcome == "accepted":
            db.session.expire_all()
            after = rows(dokumen_id, which, sasaran_kunci)
            if which.startswith("hapus"):
                assert after == [k for k in order if k != target]
            else:
                step = 1 if first(pairs, "arah") == "1" else -1
                i = order.index(target)
                j = min(max(i + step, 0), len(order) - 1)
                order[i], order[j] = order[j], order[i]
                assert after == order
        return outcome

    run_fuzz(backend, "hapus/geser", strategy, case, examples=EXAMPLES * 2)


# -- transitions: the reasons of a return and a revision --------------------------------------------------

def test_aksi(db, backend, client, app, login, tree, people, batu):
    reviewer = people("35").reviewer
    login(reviewer)
    sekretaris = login(batu.sekretaris, c=app.test_client())
    tahun = iter(range(2030, 2100))
    docs = {}

    def fresh(kind: str) -> Dokumen:
        dokumen = _signed(db, tree, batu, JenisDokumen.RAK_SEKRETARIAT, next(tahun))
        if kind == "reviewed":
            operations.setujui(db.session, dokumen, reviewer)
            db.session.commit()
        return dokumen

    docs["signed"], docs["reviewed"] = fresh("signed"), fresh("reviewed")
    posters = {"signed": Poster(client, "/tinjauan"), "reviewed": Poster(sekretaris, "/tinjauan")}
    events = list(operations.EVENT_LABELS)
    fields = {"alasan": nilai("Target indikator 2 belum sesuai PK.", " ", Besar("x" * 2001)),
              "alasan_jenis": nilai(*(a.value for a in AlasanRevisi)), "hash_dibaca": nilai("0" * 64),
              "kode_totp": nilai("000000", "123456"), "versi": VERSI}

    def case(drawn):
        kind, event, pairs = drawn
        dokumen = docs[kind]
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, dokumen.id))
        response = posters[kind].post(f"/dokumen/{dokumen.id}/aksi/{url_part(event)}", pairs)
        outcome = judge(db, response, before)
        if outcome == "accepted":
            db.session.expire_all()
            d = db.session.get(Dokumen, dokumen.id)
            alasan = (first(pairs, "alasan") or "").strip()[:2000]
            if event in ("send_back", "revise"):
                assert d.status is Status.DRAFT
                assert d.revisi_aktif.alasan == (alasan.strip() or None)
                if event == "revise":
                    assert d.revisi_aktif.alasan_jenis.value == first(pairs, "alasan_jenis")
            else:
                assert event == "approve" and d.status is Status.REVIEWED
                assert d.revisi_aktif.catatan_tinjauan == (alasan.strip() or None)
            docs[kind] = fresh(kind)
        return outcome

    strategy = st.tuples(st.sampled_from(["signed", "reviewed"]),
                         mostly(st.sampled_from(events), URL_HOSTILE), isian(fields))
    run_fuzz(backend, "aksi", strategy, case)


KODE_SEKARANG = object()  # stands for the authenticator's code of now, read just before posting


def test_setujui_massal(db, backend, client, login, tree, people, batu):
    """Approving several documents at once: ids, versions, the code and the note fuzzed."""
    from tenants.people import User
    reviewer = people("35").reviewer
    login(reviewer)
    tahun = iter(range(2030, 2100))
    docs = [_signed(db, tree, batu, JenisDokumen.RAK_SEKRETARIAT, next(tahun)) for _ in range(2)]
    poster = Poster(client, "/tinjauan")

    def case(drawn):
        ids, pairs = drawn
        db.session.execute(sa.update(User).where(User.id == reviewer.id).values(totp_last_step=None))
        db.session.commit()
        before = snapshot(db)
        chosen = [str(docs[i].id) if isinstance(i, int) else i for i in ids]
        versi = [(f"versi-{d.id}", versi_of(db, d.id)) for d in docs]
        pairs = [(k, totp_code() if v is KODE_SEKARANG else v) for k, v in fill(pairs, "")]
        response = poster.post("/tinjauan/setujui", [("dokumen", c) for c in chosen] + versi + pairs)
        db.session.expire_all()
        approved = [d for d in docs if db.session.get(Dokumen, d.id).status is Status.REVIEWED]
        outcome = judge(db, response, before, accepted=bool(approved))
        if approved:
            assert response.status_code == 200
            alasan = (first(pairs, "alasan") or "").strip()[:2000] or None
            assert all(db.session.get(Dokumen, d.id).revisi_aktif.catatan_tinjauan == alasan for d in approved)
            docs[:] = [d if d not in approved else _signed(db, tree, batu, JenisDokumen.RAK_SEKRETARIAT, next(tahun))
                       for d in docs]
        return outcome

    ids = st.lists(mostly(st.sampled_from([0, 1]), st.one_of(URL_HOSTILE, st.just("2000000000"))), max_size=4)
    fields = {"kode_totp": Isian(st.just(KODE_SEKARANG), st.sampled_from(["000000", "", "12345", "1234567"])),
              "alasan": nilai("Sesuai PK.", "", Besar("x" * 2001))}
    run_fuzz(backend, "setujui massal", st.tuples(ids, isian(fields)), case)


def test_buat_dokumen(db, backend, client, login, batu, tree):
    login(batu.sekretaris)
    poster = Poster(client, "/satker/35.79/dokumen")
    kode = mostly(st.just("35.79"), URL_HOSTILE)
    tahun = st.one_of(st.integers(1999, 2101).map(str), st.sampled_from(["0", "99999999999999999999", "-1", "²", "NaN"]))
    jenis = mostly(st.sampled_from([j.value for j in JenisDokumen]), URL_HOSTILE)

    def case(drawn):
        k, t, j, pairs = drawn
        before = snapshot(db)
        response = poster.post(f"/satker/{url_part(k)}/dokumen/{url_part(t)}/{url_part(j)}", pairs)
        db.session.expire_all()
        created = db.session.scalar(sa.select(sa.func.count(Dokumen.id))) > len(before["dokumen"])
        outcome = judge(db, response, before, accepted=created)
        if outcome == "accepted":
            d = db.session.scalars(sa.select(Dokumen).order_by(Dokumen.id.desc())).first()
            assert (d.satker.kode, str(d.tahun), d.jenis.value, d.status) == (k, t, j, Status.DRAFT)
        return outcome

    run_fuzz(backend, "buat dokumen", st.tuples(kode, tahun, jenis, isian({})), case)


def test_buttons_without_fields(db, backend, client, login, batu, tree, pk):
    """turunkan, ambil-induk and sign-out carry nothing but a token (and a version)."""
    login(batu.ketua)
    poster = Poster(client, f"/dokumen/{pk.id}")
    fields = {"versi": VERSI, "arah": nilai(), "alasan": nilai()}

    def case(drawn):
        url, pairs = drawn
        before = snapshot(db)
        pairs = fill(pairs, versi_of(db, pk.id))
        response = poster.post(url, pairs)
        return judge(db, response, before, accepted=False)

    strategy = st.tuples(st.sampled_from([f"/dokumen/{pk.id}/turunkan", f"/dokumen/{pk.id}/ambil-induk"]), isian(fields))
    run_fuzz(backend, "turunkan/ambil-induk", strategy, case)
    # Input kept across an expired session: an id that is not this account's is missing, whatever is sent.
    before = snapshot(db)
    for junk in ([], [("next", "//evil.example"), ("user_id", "1")], [("kept_id", "1"), ("fields", "[]")]):
        assert poster.post("/akun/isian/1/dipulihkan", junk).status_code == 404
    assert snapshot(db) == before
    response = poster.post("/keluar", [("next", "//evil.example"), ("status", "x")])
    assert response.status_code == 302 and response.location.endswith("/masuk")
    _record(backend, "keluar", Counter(accepted=1))


# -- the realisation grid -----------------------------------------------------------------------------------

REALISASI_BAIK = ("97,5%", "80", "2 Laporan", "3", "BB", "wtp", "", "0,5%", "1.234.567,89")


def test_realisasi(db, backend, client, login, tree, batu):
    from workflow.realisasi.models import Realisasi, RealisasiAnggaran

    pk = _signed(db, tree, batu, JenisDokumen.PK_SEKRETARIAT, 2024)
    rak = _signed(db, tree, batu, JenisDokumen.RAK_SEKRETARIAT, 2024)
    login(batu.sekretaris)
    poster = Poster(client, f"/dokumen/{pk.id}/realisasi")
    indikator = [(i.kunci, i) for s in pk.revisi_aktif.sasaran for i in s.indikator]
    baris = [b.kunci for b in rak.revisi_aktif.baris]
    bulan = st.one_of(st.integers(1, 12).map(str), st.sampled_from(["0", "13", "-1", "²", "99999999999999999999", "x"]))

    @st.composite
    def grid(draw):
        pairs = draw(isian({"versi": VERSI, "versi_rak": VERSI}))
        for _ in range(draw(st.integers(1, 4))):
            k = draw(mostly(st.sampled_from([k for k, _ in indikator]), URL_HOSTILE))
            b = draw(mostly(st.integers(1, 12).map(str), bulan))
            pairs.append((f"r-{k}-{b}", draw(mostly(st.sampled_from(REALISASI_BAIK), HOSTILE, 5))))
            if draw(st.booleans()):
                pairs.append((f"b-{k}-{b}", draw(mostly(st.sampled_from(["https://kpu.go.id/ba", ""]), HOSTILE, 5))))
        for _ in range(draw(st.integers(0, 2))):
            k = draw(mostly(st.sampled_from(baris), URL_HOSTILE))
            b = draw(mostly(st.integers(1, 12).map(str), bulan))
            pairs.append((f"a-{k}-{b}", draw(mostly(st.sampled_from(RUPIAH_BAIK), HOSTILE, 5))))
        return pairs

    def case(pairs):
        before = snapshot(db)
        pairs = [(k, versi_of(db, rak.id) if v is CURRENT and k == "versi_rak" else v) for k, v in pairs]
        pairs = fill(pairs, versi_of(db, pk.id))
        outcome = judge(db, poster.post(f"/dokumen/{pk.id}/realisasi", pairs), before)
        if outcome == "accepted":
            db.session.expire_all()
            stored = {(r.indikator_kunci, r.bulan): r for r in db.session.scalars(
                sa.select(Realisasi).where(Realisasi.dokumen_id == pk.id))}
            uang = {(r.baris_kunci, r.bulan): r.jumlah for r in db.session.scalars(
                sa.select(RealisasiAnggaran).where(RealisasiAnggaran.dokumen_id == rak.id))}
            for k, ind in indikator:
                for b in range(1, 13):
                    sent = first(pairs, f"r-{k}-{b}")
                    if sent is None:
                        continue
                    row = stored.get((k, b))
                    if not norm(sent):
                        assert row is None
                        continue
                    expected = realisasi_ops.baca_nilai(ind.jenis_target, ind.satuan, sent)
                    assert (row.nilai, row.kode) == expected
                    teks = realisasi_ops.tulis_nilai(ind.jenis_target, ind.satuan, row.nilai, row.kode)
                    assert realisasi_ops.baca_nilai(ind.jenis_target, ind.satuan, teks) == expected
                    assert row.bukti == norm(first(pairs, f"b-{k}-{b}"))
            for k in baris:
                for b in range(1, 13):
                    sent = first(pairs, f"a-{k}-{b}")
                    if sent is not None:
                        assert uang.get((k, b)) == (baca_rupiah(sent) if norm(sent) else None)
        return outcome

    run_fuzz(backend, "realisasi", grid(), case, examples=EXAMPLES * 2)


# -- evidence files: a cell's upload, a document's attachment, withdrawing ---------------------------------

def _berkas_contoh() -> list[tuple[bytes, str]]:
    from workflow.bukti.contoh import pdf_kecil, png_kecil

    pdf, png = pdf_kecil("Berita acara"), png_kecil()
    return [(pdf, "ba.pdf"), (png, "foto.png"), (png, "foto.pdf"), (b"MZ\x90\x00" + b"\x00" * 64, "ba.pdf"),
            (pdf[:-40], "ba.pdf"), (pdf + b"PK\x05\x06" + b"\x00" * 18, "ba.pdf"), (b"", "kosong.pdf"),
            (png + b"<script>", "foto.png"), (b"\x00" * 300, "nol.docx"), (pdf, ""), (pdf, "../../etc/passwd.pdf"),
            (pdf, "\u202egnp.pdf"), (pdf, "a" * 400 + ".pdf")]


def test_bukti(db, backend, client, login, tree, batu):
    from workflow.bukti.models import Bukti

    pk = _signed(db, tree, batu, JenisDokumen.PK_SEKRETARIAT, 2024)
    login(batu.sekretaris)
    kunci = [i.kunci for s in pk.revisi_aktif.sasaran for i in s.indikator]
    poster = Poster(client, f"/dokumen/{pk.id}")
    contoh = _berkas_contoh()

    @st.composite
    def kiriman(draw):
        route = draw(st.sampled_from(["bukti", "lampiran", "tarik"]))
        fields = {"kunci": Isian(st.sampled_from(kunci), URL_HOSTILE),
                  "periode": Isian(st.integers(1, 12).map(str), HOSTILE)} if route == "bukti" else {}
        pairs = draw(isian(fields))
        isi, nama = draw(mostly(st.sampled_from(contoh[:2]), st.sampled_from(contoh[2:]), 6))
        nama = draw(mostly(st.just(nama), URL_HOSTILE.map(lambda s: s[:300]), 9))
        return route, pairs, isi, nama

    def case(drawn):
        route, pairs, isi, nama = drawn
        before = snapshot(db)
        if route == "tarik":
            ada = db.session.scalar(sa.select(Bukti.id).where(Bukti.ditarik_pada.is_(None)).limit(1))
            response = poster.post(f"/dokumen/{pk.id}/bukti/{ada or 999999}/tarik", pairs)
            return judge(db, response, before, accepted=response.status_code == 302 and ada is not None)
        files = [("berkas", (io.BytesIO(isi), nama))]
        response = poster.post(f"/dokumen/{pk.id}/{route}", pairs, files=files)
        outcome = judge(db, response, before)
        if outcome == "accepted":
            bukti = db.session.scalar(sa.select(Bukti).order_by(Bukti.id.desc()).limit(1))
            assert bukti.sha256 == hashlib.sha256(isi).hexdigest() and "/" not in bukti.nama
        return outcome

    run_fuzz(backend, "bukti", kiriman(), case)
# -- a period's report: the analysis and its steps -----------------------------------------------------------

ANALISIS_BAIK = ("Pemutakhiran data terlambat", "  Coklit ulang\r\nminggu ke-2 ", "", "Sosialisasi April 97,5%")
LANGKAH = ("", "/ajukan", "/verifikasi", "/kembalikan", "/koreksi")


def test_periode(db, backend, client, app, login, tree, people, batu):
    """The analysis per indikator, submit, verify, return and correct, with hostile values,
    periods and versions, by the Sekretaris (penyusun) and the province's reviewer; the
    report wanders through its states as the accepted steps move it."""
    from workflow.pelaporan.models import LaporanPeriode, StatusLaporan
    from workflow.pelaporan import queries as lapor_queries

    pk = _signed(db, tree, batu, JenisDokumen.PK_SEKRETARIAT, 2024)
    login(batu.sekretaris)
    reviewer = login(people("35").reviewer, c=app.test_client())
    posters = {"penyusun": Poster(client, f"/dokumen/{pk.id}/periode/3"), "reviewer": Poster(reviewer, "/tinjauan")}
    kunci = [i.kunci for s in pk.revisi_aktif.sasaran for i in s.indikator]
    fields = {f"{kolom}-{k}": nilai(*ANALISIS_BAIK) for k in kunci for kolom in ("kendala", "upaya", "rencana")}
    fields |= {"alasan": nilai("Analisis belum menyebut waktu.", " ", Besar("x" * 4001)), "versi": VERSI}
    periode = mostly(st.sampled_from(["3", "3", "6"]), st.sampled_from(["0", "13", "-1", "99999999999999999999", "5"]))

    def versi_laporan(n: str) -> str:
        db.session.expire_all()
        lap = db.session.scalar(sa.select(LaporanPeriode).where(
            LaporanPeriode.dokumen_id == pk.id, LaporanPeriode.periode == (int(n) if n in ("3", "6") else 3)))
        return str(lap.versi) if lap else "1"

    def case(drawn):
        siapa, n, langkah, pairs = drawn
        before = snapshot(db)
        pairs = fill(pairs, versi_laporan(n))
        response = posters[siapa].post(f"/dokumen/{pk.id}/periode/{n}{langkah}", pairs)
        outcome = judge(db, response, before)
        if outcome == "accepted":
            db.session.expire_all()
            lap = lapor_queries.laporan(db.session, pk.id, int(n))
            if langkah == "":
                for k, a in lapor_queries.analisis(db.session, lap).items():
                    sent = first(pairs, f"kendala-{k}")
                    if sent is not None:
                        assert a.kendala == (sent.replace("\r\n", "\n").strip() or None)
            else:
                expected = {"/ajukan": StatusLaporan.DIAJUKAN, "/verifikasi": StatusLaporan.TERVERIFIKASI,
                            "/kembalikan": StatusLaporan.DIKEMBALIKAN, "/koreksi": StatusLaporan.DRAFT}[langkah]
                assert lap.status is expected
        return outcome

    strategy = st.tuples(st.sampled_from(["penyusun", "reviewer"]), periode,
                         mostly(st.sampled_from(LANGKAH), URL_HOSTILE.map(lambda v: "/" + url_part(v)), 9),
                         isian(fields))
    run_fuzz(backend, "periode", strategy, case, examples=EXAMPLES * 2)


# -- the import: paste box, upload, apply ---------------------------------------------------------------------

HEADER = ["No", "Sasaran Program", "Indikator Kinerja", "Target", "Kegiatan", *map(str, range(1, 13)),
          "Perkiraan Biaya", "Pelaksanaan"]
SEL_BAIK = ("1.", "Terwujudnya tahapan Pemilu", "Persentase laporan tepat waktu", "100%", "- Rapat koordinasi CQ.6709.QGE.003",
            "v", "-", "Rp. 99.498.000", "Subbag KUL", "Subbag Keuangan, Umum dan Logistik")


def _xlsx_of(rows) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
    ws = wb.add_worksheet("RAK")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return out.getvalue()


@st.composite
def tabel_jahat(draw):
    """A RAK table in the offices' layout whose cells are hostile now and then."""
    rows = [HEADER]
    for no in range(1, draw(st.integers(1, 3)) + 1):
        row = [f"{no}.", "Terwujudnya tahapan Pemilu", f"Persentase laporan {no}", "100%", "- Rapat koordinasi",
               *["v"] * 4, *["-"] * 8, "Rp. 99.498.000", "Subbag KUL"]
        for _ in range(draw(st.integers(0, 3))):
            col = draw(mostly(st.sampled_from([1, 2, 4]), st.integers(0, len(row) - 1)))  # mostly the text columns
            row[col] = draw(mostly(st.sampled_from(SEL_BAIK), HOSTILE.filter(lambda s: "\x00" not in s), 3))
        rows.append(row)
    return rows


# Kota Batu's file with one cell of a kind no spreadsheet program writes but that reads
# (refused ones are in tests/import_corpus: cell_nan, cell_bad_date ...).
SEL_GANJIL = [corpus._batu_cell(xml.format(ref=ref), ref) for ref in ("R9", "D9", "F9", "B9", "S9") for xml in (
    '<c r="{ref}"><v>1e400</v></c>', '<c r="{ref}"><v>-5000</v></c>', '<c r="{ref}" t="e"><v>#DIV/0!</v></c>',
    '<c r="{ref}" t="b"><v>2</v></c>', '<c r="{ref}" t="inlineStr"><is><t>=1+1</t></is></c>',
    '<c r="{ref}"><f>1/0</f><v></v></c>', '<c r="{ref}" t="str"><v>=cmd</v></c>', '<c r="{ref}" t="n"><v></v></c>')]


def test_impor(db, backend, client, login, batu, rak):
    from workflow import imports

    login(batu.sekretaris)
    poster = Poster(client, f"/dokumen/{rak.id}/impor")
    kirim = st.sampled_from(["tempel", "tempel", "xlsx", "xlsx", "bytes", "sel"])

    def case(drawn):
        how, rows, junk, apply, pairs = drawn
        before = snapshot(db)
        files = None
        if how == "tempel":
            pairs = pairs + [("teks", "\n".join("\t".join(r) for r in rows))]
        elif how == "xlsx":
            files = [("berkas", (io.BytesIO(_xlsx_of(rows)), "rak.xlsx"))]
        elif how == "sel":
            files = [("berkas", (io.BytesIO(SEL_GANJIL[junk[0] % len(SEL_GANJIL)]), "batu.xlsx"))]
        else:
            files = [("berkas", (io.BytesIO(junk), draw_name(junk)))]
        response = poster.post(f"/dokumen/{rak.id}/impor", pairs, files=files)
        # The dry run saves nothing, whatever it shows.
        judge(db, response, before, accepted=False)
        token = re.search(r'name="token" value="([^"]+)"', response.text)
        if not (apply and token):
            return "refused"
        response = poster.post(f"/dokumen/{rak.id}/impor/terapkan", [("token", token.group(1))])
        outcome = judge(db, response, before)
        if outcome == "accepted":
            # Read back: the same table brought in again changes nothing.
            db.session.expire_all()
            dokumen = db.session.get(Dokumen, rak.id)
            if how == "tempel":
                tabel = imports.baca_teks("\n".join("\t".join(r) for r in rows), dokumen.jenis)
            elif how == "sel":
                tabel = imports.baca_berkas(SEL_GANJIL[junk[0] % len(SEL_GANJIL)], "batu.xlsx", dokumen.jenis)
            else:
                tabel = imports.baca_berkas(_xlsx_of(rows), "rak.xlsx", dokumen.jenis)
            plan = imports.rencana(db.session, dokumen, tabel, batu.sekretaris)
            assert plan.kosong, plan.teks()
        return outcome

    def draw_name(junk: bytes) -> str:
        return "rak.xlsx" if junk[:1] != b"%" else "rak.pdf"

    junk = st.one_of(st.binary(min_size=1, max_size=200), st.just(b"PK\x03\x04" + b"\xff" * 100), st.just(_xlsx_of([["=1+1"]])[:300]))
    strategy = st.tuples(kirim, tabel_jahat(), junk, st.booleans(), isian({"ke_draf": nilai("1", "")}))
    run_fuzz(backend, "impor", strategy, case)
    # A made-up or foreign token is refused (409) and saves nothing.
    for token in ("A" * 32, "../../impor/x", "", "\u202e" * 32):
        before = snapshot(db)
        judge(db, poster.post(f"/dokumen/{rak.id}/impor/terapkan", [("token", token)]), before, accepted=False)
    _record(backend, "impor/terapkan (token)", Counter(refused=4))


# -- signing in, the authenticator, the password ----------------------------------------------------------------

def test_login(db, backend, app, people, batu):
    users = {"sekretaris": batu.sekretaris, "reviewer": people("35").reviewer}
    fields = {"username": nilai(*(u.username for u in users.values()), " " + batu.sekretaris.username.upper() + " "),
              "password": nilai(TEST_PASSWORD, "salah-sekali")}

    def case(pairs):
        app.extensions["sakip_limiter"].reset()
        c = app.test_client()
        before = snapshot(db)
        response = Poster(c, "/masuk").post("/masuk", pairs)
        assert response.status_code != 500
        ok = response.status_code == 302
        outcome = judge(db, response, before, accepted=ok)
        if ok:
            username = first(pairs, "username").strip().lower()
            assert first(pairs, "password") == TEST_PASSWORD and username in {u.username for u in users.values()}
            if response.location.startswith("/masuk/"):  # the code step: not signed in yet
                assert c.get("/dasbor").status_code == 302
            else:
                assert c.get("/dasbor").status_code in (200, 302) and c.get("/tinjauan").status_code == 200
        return outcome

    run_fuzz(backend, "masuk", isian(fields), case)


def test_code_steps(db, backend, app, people, batu):
    """The code after the password (/masuk/kode), enrolment (/masuk/autentikator), and
    adding or removing an authenticator on the account page."""
    from tenants.people import User
    from webapp.auth import ENROL_SECRET
    from tests.conftest import TEST_TOTP_SECRET

    reviewer, fresh_reviewer = people("35").reviewer, people("51").reviewer
    db.session.execute(sa.update(User).where(User.id == reviewer.id).values(totp_secret=TEST_TOTP_SECRET))
    db.session.commit()

    def signed_password(user):
        c = app.test_client()
        Poster(c, "/masuk").post("/masuk", [("username", user.username), ("password", TEST_PASSWORD)])
        return c

    kode = Isian(st.sampled_from(["BENAR", "000000", " 123 456 "]), HOSTILE)

    def case(drawn):
        step, pairs = drawn
        app.extensions["sakip_limiter"].reset()
        db.session.execute(sa.update(User).where(User.id == reviewer.id).values(totp_last_step=None))
        db.session.execute(sa.update(User).where(User.id == fresh_reviewer.id).values(totp_secret=None, totp_last_step=None))
        db.session.execute(sa.update(User).where(User.id == batu.ketua.id).values(totp_secret=None, totp_last_step=None))
        db.session.commit()
        if step == "kode":
            c, url, secret = signed_password(reviewer), "/masuk/kode", TEST_TOTP_SECRET
        elif step == "daftar":
            c, url = signed_password(fresh_reviewer), "/masuk/autentikator"
            c.get(url)
            with c.session_transaction() as s:
                secret = s[ENROL_SECRET]
        else:
            c = app.test_client()
            Poster(c, "/masuk").post("/masuk", [("username", batu.ketua.username), ("password", TEST_PASSWORD)])
            url = "/akun/autentikator"
            c.get(url)
            with c.session_transaction() as s:
                secret = s[ENROL_SECRET]
        pairs = [(k, totp_code(secret) if v == "BENAR" else v) for k, v in pairs]
        before = snapshot(db)
        response = Poster(c, url).post(url, pairs)
        db.session.expire_all()
        changed = snapshot(db) != before
        outcome = judge(db, response, before, accepted=changed)
        if outcome == "accepted":
            assert response.status_code == 302 and first(pairs, "kode").strip().replace(" ", "") == totp_code(secret)
        return outcome

    run_fuzz(backend, "kode autentikator", st.tuples(st.sampled_from(["kode", "daftar", "akun"]), isian({"kode": kode})), case)


def test_remove_authenticator_and_change_password(db, backend, app, client, login, batu):
    from tenants.people import User
    from tests.conftest import TEST_TOTP_SECRET
    from tenants.passwords import verify_password

    ketua = batu.ketua
    hash_awal = ketua.password_hash

    def case(drawn):
        which, pairs = drawn
        app.extensions["sakip_limiter"].reset()
        # Every case starts from the same account (the strategy may not depend on earlier cases).
        db.session.execute(sa.update(User).where(User.id == ketua.id).values(
            totp_secret=TEST_TOTP_SECRET if which == "hapus" else None, totp_last_step=None, password_hash=hash_awal))
        db.session.commit()
        c = app.test_client()
        login(ketua, c=c)
        db.session.execute(sa.update(User).where(User.id == ketua.id).values(totp_last_step=None))  # the sign-in's code
        db.session.commit()
        pairs = [(k, totp_code() if v == "BENAR" else TEST_PASSWORD if v == "SEKARANG" else v) for k, v in pairs]
        url = "/akun/autentikator/hapus" if which == "hapus" else "/akun/kata-sandi"
        before = snapshot(db)
        response = Poster(c, "/akun/keamanan").post(url, pairs)
        changed = snapshot(db) != before
        outcome = judge(db, response, before, accepted=changed)
        if changed:
            user = db.session.get(User, ketua.id)
            assert response.status_code == 302
            if which == "hapus":
                assert user.totp_secret is None and first(pairs, "kode").strip().replace(" ", "") == totp_code()
            else:
                assert first(pairs, "lama") == TEST_PASSWORD and first(pairs, "baru") == first(pairs, "ulang")
                assert verify_password(user.password_hash, first(pairs, "baru"))
        return outcome

    baru = ("Kata-Sandi-Baru-2024", "password", "12345678", "x" * 65, "Batu 2024 ketua!")
    fields_sandi = {"lama": nilai("SEKARANG"), "baru": nilai(*baru), "ulang": nilai(*baru)}
    strategy = st.one_of(st.tuples(st.just("hapus"), isian({"kode": Isian(st.sampled_from(["BENAR", "000000"]), HOSTILE)})),
                         st.tuples(st.just("sandi"), isian(fields_sandi)))
    run_fuzz(backend, "autentikator/kata sandi", strategy, case)


def test_bahasa(db, backend, app):
    c = app.test_client()
    poster = Poster(c, "/masuk")
    fields = {"lang": nilai("id", "en"), "next": nilai("/dasbor", "/dokumen/1", "//evil.example", "/\t/evil.example",
                                                   "https://evil.example", "/\\evil.example", "javascript:alert(1)")}

    def case(pairs):
        before = snapshot(db)
        response = poster.post("/bahasa", pairs)
        judge(db, response, before, accepted=False)  # a language lives in the session only
        if any("\x00" in v for _k, v in pairs):
            assert response.status_code == 400  # the gate refuses NUL
            return "refused"
        assert response.status_code == 302
        location = response.location
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location
        assert not any(ch.isspace() or ord(ch) < 32 for ch in location)
        with c.session_transaction() as s:
            assert s.get("lang") in (None, "id", "en")
        return "accepted"

    run_fuzz(backend, "bahasa", isian(fields), case)


# -- the back office -----------------------------------------------------------------------------------------------

def test_admin(db, backend, client, login, people, tree, make_user):
    from tenants.passwords import verify_password
    from tenants.people import Divisi, Membership, Peran, Subbagian, User

    admin = people("35").admin
    login(admin)
    poster = Poster(client, "/admin/pengguna/new/")
    batu = people("35.79")
    orang = {"korban": batu.subbag_kul.id}
    luar = people("51.71").sekretaris  # outside the admin's subtree
    satker_ids = [str(tree[k].id) for k in ("35", "35.79", "35.73")]
    foreign = [str(tree[k].id) for k in ("RI", "51", "51.71")]
    nama = ("  Budi  Santoso ", "Siti Aminah", "=1+1")
    # KORBAN is the id of an account of Kota Batu the admin may manage, made again when a
    # case deleted it (the strategy may not depend on earlier cases).
    KORBAN = "KORBAN"
    user_fields = {
        "username": nilai("petugas.baru", " Petugas.Dua ", "batu.tiga"), "full_name": nilai(*nama),
        "satker": Isian(st.sampled_from(satker_ids), st.one_of(st.sampled_from(foreign), HOSTILE)),
        "active": nilai("y", ""), "password": nilai("Kata-Sandi-Baru-2024", "password", ""),
        "hapus_autentikator": nilai("", "y"),
    }
    member_fields = {
        "user": Isian(st.just(KORBAN), st.one_of(st.sampled_from([str(admin.id), str(luar.id), "999999"]), HOSTILE)),
        "satker": Isian(st.sampled_from(satker_ids), st.one_of(st.sampled_from(foreign), HOSTILE)),
        "peran": nilai(*(p.value for p in Peran)), "divisi": nilai("", *(d.value for d in Divisi)),
        "subbagian": nilai("", *(u.value for u in Subbagian)),
    }
    other = st.sampled_from(["/admin/pengguna/delete/", "/admin/keanggotaan/delete/", "/admin/pengguna/action/",
                             "/admin/keanggotaan/action/", "/admin/pengguna/ajax/update/",
                             "/admin/keanggotaan/ajax/update/", "/admin/satker/new/", "/admin/satker/edit/?id=1",
                             "/admin/satker/delete/", "/admin/satker/action/", "/admin/satker/ajax/update/",
                             "/admin/keanggotaan/edit/?id=1", f"/admin/pengguna/edit/?id={luar.id}"])
    other_fields = {"id": nilai("999999", KORBAN, str(luar.id)), "rowid": nilai(str(luar.id), KORBAN),
                    "action": nilai("delete", "aktifkan"), "list_form_pk": nilai(KORBAN),
                    "username": nilai("x"), "kode": nilai("99.99"), "nama": nilai("Satker Palsu")}

    def users():
        return {u.username: u for u in db.session.scalars(sa.select(User))}

    def korban_id() -> str:
        db.session.expire_all()
        if db.session.get(User, orang["korban"]) is None:
            orang["korban"] = make_user("35.79", "subbag", subbagian="kul").id
        return str(orang["korban"])

    def case(drawn):
        which, url, pairs = drawn
        korban = korban_id()
        pairs = [(k, korban if v == KORBAN else v) for k, v in pairs]
        if which == "pengguna/edit":
            url = f"/admin/pengguna/edit/?id={korban}"
        before = snapshot(db)
        sebelum = users()
        response = poster.post(url, pairs)
        assert response.status_code != 500
        db.session.expire_all()
        after = snapshot(db)
        outcome = judge(db, response, before, accepted=after != before)
        if outcome == "accepted":
            assert response.status_code == 302, (which, response.status_code)
            assert db.session.get(User, luar.id) is not None and db.session.get(User, admin.id) is not None
            if which.startswith("pengguna"):
                username = first(pairs, "username").strip().lower()
                user = users()[username]
                assert which == "pengguna/edit" or username not in sebelum
                assert str(user.satker_id) in satker_ids
                assert user.full_name in (first(pairs, "full_name"), first(pairs, "full_name") or None)
                if first(pairs, "password"):
                    assert verify_password(user.password_hash, first(pairs, "password"))
            elif which == "keanggotaan":
                m = db.session.scalars(sa.select(Membership).order_by(Membership.id.desc())).first()
                assert (str(m.user_id), str(m.satker_id), m.peran.value) == (
                    first(pairs, "user"), first(pairs, "satker"), first(pairs, "peran"))
            else:
                # Only deleting an account or a membership the admin manages may change anything.
                assert url in ("/admin/pengguna/delete/", "/admin/keanggotaan/delete/"), url
                if url == "/admin/pengguna/delete/":
                    assert first(pairs, "id") == korban and db.session.get(User, int(korban)) is None
        return outcome

    strategy = st.one_of(
        st.tuples(st.just("pengguna/new"), st.just("/admin/pengguna/new/"), isian(user_fields)),
        st.tuples(st.just("pengguna/edit"), st.just(""), isian(user_fields)),
        st.tuples(st.just("keanggotaan"), st.just("/admin/keanggotaan/new/"), isian(member_fields)),
        st.tuples(st.just("lain"), other, isian(other_fields)),
    )
    run_fuzz(backend, "admin", strategy, case, examples=EXAMPLES * 2)


def test_penunjukan(db, backend, client, login, batu, tree):
    """Appointing a Plh/Plt and ending one: an admin of the office types anything."""
    from tenants.penunjukan import Penunjukan

    login(batu.admin)
    members = [str(batu.subbag_kul.id), str(batu.subbag_rendatin.id)]
    poster = Poster(client, "/satker/35.79/penunjukan")
    fields = {"user": nilai(*members, str(batu.admin.id), "99999999999999999999"), "jenis": nilai("plh", "plt"),
              "peran": nilai("ketua", "sekretaris", "anggota"), "mulai": TANGGAL, "sampai": TANGGAL,
              "nomor_surat": nilai("123/PP.01-Kpt/3579/2026", " 7/KPU ", "")}
    ids = st.one_of(st.sampled_from(["1", "2", "3", "0", "-1", "99999999999999999999"]), HOSTILE)

    def case(drawn):
        which, pairs = drawn
        before = snapshot(db)
        url = "/satker/35.79/penunjukan" + ("/akhiri" if which == "akhiri" else "")
        response = poster.post(url, pairs)
        db.session.expire_all()
        outcome = judge(db, response, before)
        if outcome == "accepted" and which == "tunjuk":
            p = db.session.scalars(sa.select(Penunjukan).order_by(Penunjukan.id.desc())).first()
            assert (str(p.user_id), p.jenis.value, p.peran.value, p.nomor_surat) == (
                first(pairs, "user"), first(pairs, "jenis"), first(pairs, "peran"), first(pairs, "nomor_surat").strip())
            assert p.mulai <= p.sampai and str(p.user_id) in members
        return outcome

    strategy = st.one_of(st.tuples(st.just("tunjuk"), isian(fields)),
                         st.tuples(st.just("akhiri"), isian({"penunjukan": Isian(ids, HOSTILE)})))
    run_fuzz(backend, "penunjukan", strategy, case)


# -- the calendar: due dates, reminders ------------------------------------------------------------------

def test_jadwal(db, backend, client, login, tree, people):
    """A province's reviewer sets its calendar (dates no later than KPU RI's, days in a range) and
    reminds the offices below that have not submitted: anything typed in the fields and the year."""
    from tenants.satker import Satker
    from workflow.jadwal.models import Butir, Pengingat
    from workflow.jadwal.queries import nilai_sendiri, tahun_bawaan

    login(people("35").reviewer)
    poster = Poster(client, "/satker/35/jadwal?tahun=2024")
    hari = Isian(st.sampled_from(["5", "10", "20", ""]),
                 st.one_of(st.sampled_from(["0", "31", "365", "-3", "1_000", "٣", "5.5", "99999999999999999999"]), HOSTILE))
    tanggal = Isian(st.sampled_from(["2024-01-31", "2024-03-15", "2024-12-31", ""]), TANGGAL.baik)
    fields = {b.value: (hari if b.berhari else tanggal) for b in Butir}
    fields["tahun"] = Isian(st.just("2024"), st.sampled_from(["2025", "1999", "2101", "99999999999999999999", "", "x"]))
    tahun_jenis = {"tahun": nilai("2024", "2101", "", "x"),
                   "jenis": nilai(*(j.value for j in JenisDokumen), "lkj ", "")}

    @st.composite
    def kiriman(draw):
        if draw(st.booleans()):
            return "jadwal", draw(isian(fields))
        pairs = draw(isian(tahun_jenis))
        pairs += [("satker", draw(mostly(st.sampled_from(["35.79", "35.73", "51.71", "35"]), URL_HOSTILE)))
                  for _ in range(draw(st.integers(0, 3)))]
        return "ingatkan", pairs

    def case(drawn):
        route, pairs = drawn
        before = snapshot(db)
        n_pengingat = db.session.scalar(sa.select(sa.func.count()).select_from(Pengingat))
        response = poster.post(f"/satker/35/{route}", pairs)
        db.session.expire_all()
        if route == "ingatkan":
            # A refusal is flashed on the compliance page (a redirect too): accepted means reminded.
            sent = db.session.scalars(sa.select(Pengingat).order_by(Pengingat.id).offset(n_pengingat)).all()
            outcome = judge(db, response, before, accepted=bool(sent))
            for p in sent:
                assert (str(p.tahun), p.jenis) == (first(pairs, "tahun"), first(pairs, "jenis"))
                assert db.session.get(Satker, p.satker_id).kode.startswith("35.")
            return outcome
        outcome = judge(db, response, before)
        if outcome == "accepted":
            tahun = int(first(pairs, "tahun") or 0) or tahun_bawaan(db.session)
            sendiri = nilai_sendiri(db.session, tree["35"], tahun)
            for b in Butir:
                typed = (first(pairs, b.value) or "").strip()
                if first(pairs, b.value) is None:
                    continue
                stored = sendiri.get(b)
                assert (stored is None) == (typed == ""), (b, typed, stored)
                if stored is not None:
                    assert stored == (int(typed) if b.berhari else date.fromisoformat(typed)), (b, typed)
        return outcome

    run_fuzz(backend, "jadwal", kiriman(), case)


# -- notifications: open one, mark all read, preferences ------------------------------------------------

def test_notifikasi(db, backend, client, login, batu, people):
    from workflow.notifikasi import operations as notif_ops
    from workflow.notifikasi.models import JenisNotifikasi, Notifikasi, Preferensi

    login(batu.ketua)
    # Two of the ketua's own (one whose link leads off the site) and another office's.
    for who, tautan in ((batu.ketua, "/"), (batu.ketua, "https://evil.example/x"), (people("35.73").ketua, "/")):
        notif_ops.beri_tahu(db.session, [who], jenis=JenisNotifikasi.PENGINGAT, judul="Tenggat PK", isi="Segera",
                            tautan=tautan)
    db.session.commit()
    ids = [str(i) for i in db.session.scalars(sa.select(Notifikasi.id).order_by(Notifikasi.id))]
    poster = Poster(client, "/notifikasi")
    centang = nilai("y", "on", "1", "false", "", "0")
    pilih_id = mostly(st.sampled_from(ids + ["0", "99999999999999999999", "9223372036854775808"]),
                      st.sampled_from(["-1", "1e3", "²", "%20", "1%00"]), 9)

    @st.composite
    def kiriman(draw):
        route = draw(st.sampled_from(["baca", "baca-semua", "preferensi"]))
        fields = {"surel": centang, "ringkasan_harian": centang} if route == "preferensi" else {}
        return route, draw(pilih_id), draw(isian(fields))

    def case(drawn):
        route, nid, pairs = drawn
        before = snapshot(db)
        url = {"baca": f"/notifikasi/{nid}/baca", "baca-semua": "/notifikasi/baca-semua",
               "preferensi": "/akun/notifikasi"}[route]
        response = poster.post(url, pairs)
        db.session.expire_all()
        if route == "baca":
            own = db.session.scalar(sa.select(Notifikasi).where(Notifikasi.id == int(nid), Notifikasi.user_id == batu.ketua.id)) \
                if nid.isascii() and nid.isdigit() and int(nid) < 2**31 else None
            outcome = judge(db, response, before, accepted=own is not None and response.status_code == 302)
            if own is not None:
                assert own.dibaca_pada is not None
                assert response.headers["Location"].startswith("/")  # never another site
            return outcome
        if route == "baca-semua":
            outcome = judge(db, response, before, accepted=snapshot(db) != before)
            assert response.status_code == 302
            assert not db.session.scalars(sa.select(Notifikasi).where(
                Notifikasi.user_id == batu.ketua.id, Notifikasi.dibaca_pada.is_(None))).all()
            return outcome
        outcome = judge(db, response, before)
        if outcome == "accepted":
            pref = db.session.scalar(sa.select(Preferensi).where(Preferensi.user_id == batu.ketua.id))
            for name in ("surel", "ringkasan_harian"):
                assert getattr(pref, name) == (first(pairs, name) not in (None, "", "false")), name
        return outcome

    run_fuzz(backend, "notifikasi", kiriman(), case)


# -- money per output code: the grid, the import's dry run and apply, the national targets ------------------

KODE_OUTPUT = ("CQ.6709.QGE.003", "wa.3355.eba.994", "076.01.CQ.6709.QGE.004")


def test_serapan(db, backend, client, login, batu, people):
    from workflow.anggaran.models import RealisasiOutput
    from workflow.anggaran.operations import normalkan_kode, sidik_serapan

    login(batu.sekretaris)
    poster = Poster(client, "/satker/35.79/serapan?tahun=2024")
    satker = batu.sekretaris.satker
    uang = nilai(*RUPIAH_BAIK)

    @st.composite
    def kiriman(draw):
        route = draw(st.sampled_from(["simpan", "simpan", "impor", "terapkan"]))
        fields = {"tahun": Isian(st.just("2024"), st.sampled_from(["1999", "", "²", "99999999999999999999"]))}
        if route == "simpan":
            kode = draw(mostly(st.sampled_from(KODE_OUTPUT), URL_HOSTILE.map(lambda s: s[:60])))
            for b in draw(st.lists(st.integers(0, 13), max_size=3, unique=True)):
                fields[f"o-{kode}-{b}"] = uang
            fields |= {"kode_baru": nilai("", *KODE_OUTPUT), "baru-1": uang, "sidik": nilai("", "0" * 32)}
        elif route == "impor":
            baris = draw(st.lists(st.tuples(mostly(st.sampled_from(KODE_OUTPUT), HOSTILE), st.sampled_from(
                ["1", "3", "12", "13", "Maret", "x"]), either(uang)), max_size=3))
            teks = "Kode Output\tBulan\tRealisasi\n" + "\n".join("\t".join(r) for r in baris)
            fields["teks"] = Isian(st.just(teks), HOSTILE)
        else:
            fields |= {"data": nilai('[["CQ.6709.QGE.003",3,1500000]]', "[]", '[["x",1,1]]', '[["CQ.6709.QGE.003",13,1]]',
                                     '[["CQ.6709.QGE.003",1,-5]]', '{"a":1}', '[[1,2,3]]', "null",
                                     '[["CQ.6709.QGE.003",3,99999999999999999999999]]', '[["CQ.6709.QGE.003",1e3,1]]',
                                     '[["CQ.6709.QGE.003",99999999999999999999,1]]', '[["\\u0000",1,1]]'),
                       "sidik": nilai("", "0" * 32), "nama": nilai("realisasi.xlsx", "")}
        return route, draw(isian(fields))

    def case(drawn):
        route, pairs = drawn
        before = snapshot(db)
        if route == "terapkan" and first(pairs, "sidik") == "":
            pairs = [(k, sidik_serapan(db.session, satker, 2024) if k == "sidik" else v) for k, v in pairs]
        url = {"simpan": "/satker/35.79/serapan", "impor": "/satker/35.79/serapan/impor",
               "terapkan": "/satker/35.79/serapan/impor/terapkan"}[route]
        response = poster.post(url, pairs)
        db.session.expire_all()
        if route == "impor":  # a dry run: nothing is ever saved, whatever it shows
            judge(db, response, before, accepted=False)
            return "accepted" if response.status_code == 200 else "refused"
        outcome = judge(db, response, before)
        if outcome == "accepted":
            t = first(pairs, "tahun") or ""
            tahun = int(t) if t.isascii() and t.isdigit() else date.today().year  # the page's year when none reads
            stored = {(r.kode_output, r.bulan): r.jumlah for r in db.session.scalars(sa.select(RealisasiOutput).where(
                RealisasiOutput.satker_id == satker.id, RealisasiOutput.tahun == tahun))}
            for k, v in pairs:
                if k.startswith("o-") and k.count("-") >= 2:
                    kode, bulan = k[2:].rsplit("-", 1)
                    if 1 <= int(bulan) <= 12:
                        teks = " ".join(v.split())
                        assert stored.get((normalkan_kode(kode), int(bulan))) == (baca_rupiah(teks) if teks else None)
        return outcome

    run_fuzz(backend, "serapan", kiriman(), case)


def test_target_serapan(db, backend, client, login, people):
    from workflow.anggaran.serapan import target_serapan

    login(people("RI").admin)
    poster = Poster(client, "/serapan/target?tahun=2024")
    persen = ("15", "40", "60", "90", "97,5", "100%", "0", "")
    fields = {"tahun": nilai("2024", "2025", ""), **{f"tw{tw}": nilai(*persen) for tw in range(1, 5)}}

    def case(pairs):
        before = snapshot(db)
        response = poster.post("/serapan/target", pairs)
        db.session.expire_all()
        outcome = judge(db, response, before)
        if outcome == "accepted":
            tahun = int(first(pairs, "tahun") or 0) or datetime.now().year
            target = target_serapan(db.session, tahun)
            for tw in range(1, 5):
                typed = "".join(first(pairs, f"tw{tw}").split()).rstrip("%").replace(",", ".")
                assert target[tw] == Decimal(typed), tw
            assert [target[tw] for tw in range(1, 5)] == sorted(target[tw] for tw in range(1, 5))
        return outcome

    run_fuzz(backend, "target_serapan", isian(fields), case)


# -- every POST route is fuzzed, or says why not ------------------------------------------------------------------

# -- the yearly evaluation: the office's answers, the evaluator's scoring, the steps -------------------

EVAL_SLOTS = ("draf", "diajukan", "diterbitkan", "disanggah")
# The forms, the state each is accepted in, and who sends them.
EVAL_FORMS = {"/<sub>/jawab": ("draf", "sekretaris"), "/ajukan": ("draf", "sekretaris"),
              "/<sub>/nilai": ("diajukan", "inspektorat"), "/temuan": ("diajukan", "inspektorat"),
              "/kembalikan": ("diajukan", "inspektorat"), "/terbitkan": ("diajukan", "inspektorat"),
              "/sanggah": ("diterbitkan", "ketua"), "/finalkan": ("diterbitkan", "inspektorat"),
              "/tanggapan": ("disanggah", "inspektorat")}
EVAL_SUB = "1.a"
KODE_BAIK = ("", "ABCD-2345", "abcd2345", "ABCD-2345, WXYZ-6789")


def _eval_in(db, tree, people, state: str, tahun: int) -> None:
    """Kota Batu's evaluation of ``tahun`` in ``state``, by the operations: every criterion
    answered (1.a.1 "T"), submitted, all scored with the proposals, one finding, published,
    disputed and answered."""
    from workflow.evaluasi import operations as ops, queries
    from workflow.evaluasi.operations import IsianKriteria, PenilaianKriteria, PenilaianSub

    batu, sek, insp = tree["35.79"], people("35.79").sekretaris, people("RI").inspektorat
    ev = ops.buka(db.session, batu, tahun, sek)
    ops.simpan_jawaban(db.session, batu, tahun, sek, {k.kode: IsianKriteria("T" if k.kode == "1.a.1" else "Y", "Catatan")
                                                      for k in ev.lke.kriteria})
    if state != "draf":
        ops.transisi(db.session, batu, tahun, "ajukan", sek)
        rows = queries.jawaban(db.session, ev)
        for sub in ev.lke.subkomponen:
            usulan = next(h for h in queries.hasil(db.session, ev).sub if h.sub.kode == sub.kode).usulan
            ops.simpan_penilaian(db.session, batu, tahun, insp, sub.kode, PenilaianSub(
                {k.kode: PenilaianKriteria(True, versi=rows[k.kode].versi) for k in sub.kriteria}, usulan.value))
        ops.tulis_temuan(db.session, batu, tahun, insp, "Temuan awal", "Rekomendasi awal", EVAL_SUB)
    if state in ("diterbitkan", "disanggah"):
        ops.transisi(db.session, batu, tahun, "terbitkan", insp)
    if state == "disanggah":
        ops.sanggah(db.session, batu, tahun, people("35.79").ketua, {1: "Sanggahan awal"})
    db.session.commit()


def test_evaluasi(db, backend, client, app, login, tree, people, batu):
    """Every form of the evaluation, with hostile values, sub-component codes and versions,
    by the Sekretaris, the Ketua and KPU RI's inspektorat, each mostly on an evaluation in
    the state where it is accepted: an evaluation that an accepted step moves on is replaced
    by a new one (the next year) in the state it held."""
    from workflow.evaluasi import queries
    from workflow.evaluasi.models import StatusEvaluasi

    login(batu.sekretaris)
    posters = {"sekretaris": Poster(client, "/satker/35.79"),
               "ketua": Poster(login(batu.ketua, c=app.test_client()), "/satker/35.79"),
               "inspektorat": Poster(login(people("RI").inspektorat, c=app.test_client()), "/evaluasi")}
    slots = {}
    for n, state in enumerate(EVAL_SLOTS):
        _eval_in(db, tree, people, state, 2010 + n)
        slots[state] = 2010 + n
    fresh = iter([*range(2030, 2101), *range(2000, 2010)])
    ev0 = queries.evaluasi(db.session, tree["35.79"].id, slots["draf"])
    kriteria = [k.kode for k in ev0.lke.sub(EVAL_SUB).kriteria]
    per_kriteria = {}
    for k in kriteria:
        per_kriteria |= {f"tampil-{k}": nilai("1"), f"jawaban-{k}": nilai("Y", "T", ""),
                         f"catatan-{k}": nilai(*ANALISIS_BAIK), f"kode-{k}": nilai(*KODE_BAIK),
                         f"bukti-{k}": Isian(st.sampled_from(["1", "2"]), HOSTILE), f"versi-{k}": VERSI,
                         f"setuju-{k}": nilai("ya", "tidak", ""), f"komentar-{k}": nilai(*ANALISIS_BAIK),
                         f"perlu-{k}": nilai("", "1"), f"alasan-kembali-{k}": nilai("Lampirkan SK", "")}
    fields = {
        "/<sub>/jawab": {k: v for k, v in per_kriteria.items() if k.split("-")[0] in
                         ("tampil", "jawaban", "catatan", "kode", "bukti", "versi")},
        "/<sub>/nilai": {k: v for k, v in per_kriteria.items() if k.split("-")[0] in
                         ("tampil", "setuju", "komentar", "perlu", "alasan", "versi")}
        | {"nilai": nilai("BB", "B", "A", "AA", "E", ""), "alasan_nilai": nilai("Pedoman dipakai", ""),
           "versi_nilai": VERSI},
        "/temuan": {"uraian": nilai(*TEKS_BAIK), "rekomendasi": nilai(*TEKS_BAIK, ""),
                    "subkomponen": nilai(EVAL_SUB, "", "1.b")},
        "/kembalikan": {"alasan": nilai("Bukti 1.a.1 kurang", " ", Besar("x" * 4001)), "versi": VERSI},
        "/sanggah": {"sanggahan-1": nilai("RAK sudah direviu", ""), "sanggahan-2": nilai("", "Temuan lain"),
                     "versi": VERSI},
        "/tanggapan": {"tanggapan-1": nilai("Reviu belum memuat RAK", ""), "diterima-1": nilai("1", ""),
                       "versi": VERSI},
    }
    for form in ("/ajukan", "/terbitkan", "/finalkan"):
        fields[form] = {"versi": VERSI}

    def versi_isi(tahun: int, pairs):
        """CURRENT: the evaluation's version, or the row's for versi-<k> and versi_nilai."""
        db.session.expire_all()
        ev = queries.evaluasi(db.session, tree["35.79"].id, tahun)
        rows = queries.jawaban(db.session, ev) if ev else {}
        grade = queries.nilai(db.session, ev).get(EVAL_SUB) if ev else None

        def versi(name: str) -> str:
            if name.startswith("versi-"):
                row = rows.get(name.removeprefix("versi-"))
                return str(row.versi) if row else ""
            if name == "versi_nilai":
                return str(grade.versi) if grade else ""
            return str(ev.versi) if ev else "1"
        return [(k, versi(k) if v is CURRENT else v) for k, v in pairs]

    def case(drawn):
        form, slot, sub, pairs = drawn
        tahun = slots[slot]
        siapa = EVAL_FORMS[form][1]
        before = snapshot(db)
        pairs = versi_isi(tahun, pairs)
        url = f"/satker/35.79/evaluasi/{tahun}" + form.replace("<sub>", sub)
        response = posters[siapa].post(url, pairs)
        outcome = judge(db, response, before)
        if outcome == "accepted":
            db.session.expire_all()
            ev = queries.evaluasi(db.session, tree["35.79"].id, tahun)
            rows = queries.jawaban(db.session, ev)
            if form == "/<sub>/jawab":
                for k in kriteria:
                    if first(pairs, f"tampil-{k}") and first(pairs, f"catatan-{k}") is not None:
                        sent = first(pairs, f"catatan-{k}").replace("\r\n", "\n").strip() or None
                        assert rows[k].catatan == sent, (k, rows[k].catatan, sent)
            elif form == "/temuan":
                assert ev.temuan[-1].uraian == first(pairs, "uraian").replace("\r\n", "\n").strip()
            elif form in ("/ajukan", "/kembalikan", "/terbitkan", "/sanggah", "/finalkan"):
                assert ev.status is {"/ajukan": StatusEvaluasi.DIAJUKAN, "/kembalikan": StatusEvaluasi.DIKEMBALIKAN,
                                     "/terbitkan": StatusEvaluasi.DITERBITKAN, "/sanggah": StatusEvaluasi.DISANGGAH,
                                     "/finalkan": StatusEvaluasi.FINAL}[form]
            if ev.status.value != slot and (tahun := next(fresh, None)) is not None:
                slots[slot] = tahun  # moved on: a new evaluation holds the slot's state
                _eval_in(db, tree, people, slot, tahun)
        return outcome

    def drawn_for(form: str) -> st.SearchStrategy:
        usual = EVAL_FORMS[form][0]
        return st.tuples(st.just(form), mostly(st.just(usual), st.sampled_from(EVAL_SLOTS), 8),
                         mostly(st.just(EVAL_SUB), st.one_of(st.just("1.b"), URL_HOSTILE.map(url_part)), 9),
                         isian(fields[form]))

    strategy = st.one_of(*[drawn_for(form) for form in EVAL_FORMS])
    run_fuzz(backend, "evaluasi", strategy, case, examples=EXAMPLES * 4)


def test_evaluasi_ids_no_list_holds(db, app, client, login, tree, people, batu):
    """Found by the fuzzer: an evidence id or a finding number that is a digit to Python but
    not to int() ("²", 5 000 digits) answered 500. Now: the Indonesian message, the typed
    note kept, nothing saved."""
    from workflow.evaluasi import queries

    _eval_in(db, tree, people, "draf", 2024)
    login(batu.sekretaris)
    page = client.get("/satker/35.79/evaluasi/2024/1.a")
    token = csrf_token_from(page.text)
    for value in ("²", "9" * 5000, "99999999999999999999"):
        before = snapshot(db)
        response = client.post("/satker/35.79/evaluasi/2024/1.a/jawab", data={
            "csrf_token": token, "tampil-1.a.1": "1", "jawaban-1.a.1": "Y", "catatan-1.a.1": "Catatan yang diketik",
            "bukti-1.a.1": value})
        assert response.status_code == 422, (value[:5], response.status_code)
        assert "Bukti dukung yang dipilih tidak ditemukan" in response.text
        assert "Catatan yang diketik" in response.text
        assert snapshot(db) == before
    _eval_in(db, tree, people, "diterbitkan", 2023)
    client = login(batu.ketua, c=app.test_client())
    page = client.get("/satker/35.79/evaluasi/2023")
    assert 'data-testid="tombol-sanggah"' in page.text
    token = csrf_token_from(page.text)
    for value in ("²", "9" * 5000):
        before = snapshot(db)
        response = client.post("/satker/35.79/evaluasi/2023/sanggah", data={
            "csrf_token": token, f"sanggahan-{value}": "Sanggahan", "sanggahan-1": ""})
        assert response.status_code == 422 and "Tulis alasan sanggahan" in response.text
        assert snapshot(db) == before
    assert queries.evaluasi(db.session, tree["35.79"].id, 2023).disanggah_pada is None


FUZZED = {
    "/dokumen/<int:dokumen_id>/sasaran": "test_sasaran", "/dokumen/<int:dokumen_id>/sasaran/<kunci>": "test_sasaran",
    "/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator": "test_indikator",
    "/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>": "test_indikator",
    "/dokumen/<int:dokumen_id>/baris": "test_baris", "/dokumen/<int:dokumen_id>/baris/<kunci>": "test_baris",
    "/dokumen/<int:dokumen_id>/kepala": "test_kepala",
    "/dokumen/<int:dokumen_id>/lkj/bab/<bab>": "test_bab_lkj", "/dokumen/<int:dokumen_id>/lkj/pegawai": "test_pegawai_lkj",
    "/dokumen/<int:dokumen_id>/baris/<kunci>/hapus": "test_hapus_and_geser",
    "/dokumen/<int:dokumen_id>/geser/<kunci>": "test_hapus_and_geser",
    "/dokumen/<int:dokumen_id>/sasaran/<kunci>/hapus": "test_hapus_and_geser",
    "/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/geser/<kunci>": "test_hapus_and_geser",
    "/dokumen/<int:dokumen_id>/sasaran/<sasaran_kunci>/indikator/<kunci>/hapus": "test_hapus_and_geser",
    "/dokumen/<int:dokumen_id>/aksi/<event>": "test_aksi",
    "/tinjauan/setujui": "test_setujui_massal",
    "/satker/<kode>/dokumen/<int:tahun>/<jenis>": "test_buat_dokumen",
    "/dokumen/<int:dokumen_id>/turunkan": "test_buttons_without_fields",
    "/dokumen/<int:dokumen_id>/ambil-induk": "test_buttons_without_fields",
    "/keluar": "test_buttons_without_fields", "/akun/isian/<int:kept_id>/dipulihkan": "test_buttons_without_fields",
    "/dokumen/<int:dokumen_id>/realisasi": "test_realisasi",
    "/dokumen/<int:dokumen_id>/bukti": "test_bukti", "/dokumen/<int:dokumen_id>/lampiran": "test_bukti",
    "/dokumen/<int:dokumen_id>/bukti/<int:bukti_id>/tarik": "test_bukti",
    **{f"/dokumen/<int:dokumen_id>/periode/<int:periode>{langkah}": "test_periode" for langkah in LANGKAH},
    "/dokumen/<int:dokumen_id>/impor": "test_impor", "/dokumen/<int:dokumen_id>/impor/terapkan": "test_impor",
    "/masuk": "test_login", "/masuk/kode": "test_code_steps", "/masuk/autentikator": "test_code_steps",
    "/akun/autentikator": "test_code_steps", "/akun/autentikator/hapus": "test_remove_authenticator_and_change_password",
    "/akun/kata-sandi": "test_remove_authenticator_and_change_password",
    "/bahasa": "test_bahasa",
    "/satker/<kode>/penunjukan": "test_penunjukan", "/satker/<kode>/penunjukan/akhiri": "test_penunjukan",
    "/satker/<kode>/jadwal": "test_jadwal", "/satker/<kode>/ingatkan": "test_jadwal",
    "/notifikasi/<int:notifikasi_id>/baca": "test_notifikasi", "/notifikasi/baca-semua": "test_notifikasi",
    "/akun/notifikasi": "test_notifikasi",
    "/satker/<kode>/serapan": "test_serapan",
    "/satker/<kode>/serapan/impor": "test_serapan", "/satker/<kode>/serapan/impor/terapkan": "test_serapan",
    "/serapan/target": "test_target_serapan",
    **{f"/satker/<kode>/evaluasi/<int:tahun>{form}": "test_evaluasi" for form in EVAL_FORMS},
    **{f"/satker/<kode>/tindak-lanjut/<int:tl_id>/{langkah}": "test_tindak_lanjut"
       for langkah in ("laporkan", "kembalikan", "ubah")},
    **{f"/admin/{view}/{action}/": "test_admin" for view in ("pengguna", "keanggotaan", "satker")
       for action in ("new", "edit", "delete", "action", "ajax/update")},
}
# -- follow-ups of an evaluation: the owner reports, the evaluator returns or changes owner and date --

def test_tindak_lanjut(db, backend, client, login, app, tree, people):
    """The Sekretaris reports progress (a note, evidence files, verification codes); the
    evaluator returns it (a reason) or gives it another owner and due date: anything typed."""
    from tests.test_tindak_lanjut import finalkan
    from workflow.tindaklanjut import queries as tl_queries

    batu, insp = people("35.79"), people("RI").inspektorat
    finalkan(db, tree, people, rekomendasi=("Selaraskan RAK dengan Renstra.",))
    tl_id = tl_queries.daftar(db.session, tree["35.79"].id)[0].id
    base = f"/satker/35.79/tindak-lanjut/{tl_id}"
    kantor = Poster(login(batu.sekretaris), base)
    evaluator = Poster(login(insp, c=app.test_client()), base)
    members = [str(batu.sekretaris.id), str(batu.ketua.id)]
    # what an office types; the hostile values (ids out of range, "²", NUL, huge text) are drawn by isian()
    lapor = {"uraian": nilai("RAK diselaraskan.", "  Nota dinas terlampir  "), "kode": nilai(""),
             "bukti": nilai(""), "versi": VERSI}
    ubah = {"pemilik": nilai(*members), "tenggat": nilai("2025-03-01", " 2026-12-31"), "versi": VERSI}
    kembali = {"alasan": nilai("Lampirkan RAK bertanda tangan.", " Kurang bukti "), "versi": VERSI}

    def case(drawn):
        which, pairs = drawn
        db.session.expire_all()
        tl = db.session.get(TindakLanjut, tl_id)
        pairs = fill(pairs, str(tl.versi))
        before = snapshot(db)
        poster = kantor if which == "laporkan" else evaluator
        response = poster.post(f"{base}/{which}", pairs)
        outcome = judge(db, response, before)
        db.session.expire_all()
        tl = db.session.get(TindakLanjut, tl_id)
        if outcome == "accepted" and which == "laporkan":
            assert tl.status.value == "dilaporkan" and tl.laporan[-1].uraian == first(pairs, "uraian").strip()
        elif outcome == "accepted" and which == "ubah":
            assert (tl.tenggat.isoformat(), str(tl.pemilik_id)) == (first(pairs, "tenggat").strip(),
                                                                    first(pairs, "pemilik"))
        elif outcome == "accepted":
            assert tl.status.value == "terbuka" and tl.catatan == first(pairs, "alasan").strip()
        return outcome

    strategy = st.one_of(st.tuples(st.just("laporkan"), isian(lapor)), st.tuples(st.just("ubah"), isian(ubah)),
                         st.tuples(st.just("kembalikan"), isian(kembali)))
    outcomes = run_fuzz(backend, "tindak lanjut", strategy, case)
    assert outcomes["accepted"] and outcomes["refused"]


# Routes that take a POST but are not fuzzed here, each with its reason.
NOT_FUZZED: dict[str, str] = {
    "/satker/<kode>/tindak-lanjut/<int:tl_id>/selesaikan": "a button whose only field is the version (closing ends "
    "the follow-up, and every later case would be refused); tests/test_tindak_lanjut.py sends its refusals"}


def test_every_post_route_is_fuzzed_or_excused(app):
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert not set(FUZZED) & set(NOT_FUZZED)
    assert posts - set(FUZZED) - set(NOT_FUZZED) == set(), "a POST route nobody fuzzes: add it to FUZZED or NOT_FUZZED"
    assert (set(FUZZED) | set(NOT_FUZZED)) - posts == set(), "a fuzzed route that no longer exists"
    assert set(FUZZED.values()) <= set(globals()), "FUZZED names a test that does not exist"
