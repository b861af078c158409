"""Formula text through every export (issue 6, point 5): 0 formula cells.

Documents of every kind whose every user-typed text (sasaran, tujuan, indikator, target
unit, kegiatan, place, DIPA number, programs, evidence of a realisation, an LKj chapter, the signatories' names, the province's own
PK read by its recap) starts with "=", "+", "-", "@", a tab or a line break, exported to
Excel (PK, RKT, RAK, LKj, the province and national recaps) and read back with openpyxl: no cell holds
a formula, no sheet XML carries an <f> element, and each text comes back as a string
cell (trimmed the way the editors trim it). The count of cells checked goes to the run's
summary (tests/conftest.CASE_COUNTS).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CASE_COUNTS
from tenants.people import User
from webapp.exports import xlsx
from workflow.dokumen import operations
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.operations import BarisData, Kepala, ProgramData
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.operations import Isian, IsianAnggaran
from workflow.target import Polaritas

PREFIXES = ["=", "+", "-", "@", "\t", "\n"]
FORMULAS = ["1+1", "SUM(A1:A9)", "HYPERLINK(\"http://evil.example\",\"klik\")", "cmd|' /C calc'!A0"]

CHECKED: dict[str, int] = {}


def _record(backend: str, label: str, cells: int, files: int) -> None:
    key = f"fuzz: formula text through every export ({backend})"
    previous = CHECKED.get(key + " files", 0)
    CHECKED[key + " files"] = previous + files
    CHECKED[key] = CHECKED.get(key, 0) + cells
    CASE_COUNTS[key] = f"{CHECKED[key]} cells in {CHECKED[key + ' files']} workbooks, 0 formula cells"


def formula_cells(data: bytes) -> tuple[list[str], int, list[str]]:
    """(cells openpyxl reads as formulas, cells checked, string values)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    found, checked, strings = [], 0, []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                checked += 1
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type != "s"
                                             and cell.value.startswith("=")):
                    found.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
                if isinstance(cell.value, str):
                    strings.append(cell.value)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", z.read(name)):
                found.append(f"{name} holds an <f> element")
    return found, checked, strings


def typed(prefix: str, text: str) -> str:
    return prefix + text


def shown(text: str) -> str:
    """What the editors keep of a typed text: whitespace runs as one space, trimmed."""
    return " ".join(text.split())


@pytest.fixture
def formula_world(db, tree, people):
    """For one prefix: Kota Batu's seven documents and Jawa Timur's PK Komisi, every text typed
    with it; the PKs and the RAK Sekretariat signed (the LKj reads them), some realisation."""

    def build(prefix: str) -> dict:
        batu, jatim = people("35.79"), people("35")
        texts: list[str] = []

        def t(text: str, in_excel: bool = True) -> str:
            value = typed(prefix, text)
            if in_excel:
                texts.append(shown(value))
            return value

        for who in (batu.ketua, batu.sekretaris, jatim.ketua):
            db.session.execute(sa.update(User).where(User.id == who.id).values(full_name=t(f"{FORMULAS[0]} {who.username}")))
        db.session.commit()
        docs = {}
        for kode, jenis in [("35.79", j) for j in JenisDokumen if j is not JenisDokumen.LKJ] + [("35", JenisDokumen.PK_KOMISI)]:
            office = batu if kode == "35.79" else jatim
            penyusun = getattr(office, jenis.penyusun.value)
            d = operations.buat_dokumen(db.session, tree[kode], 2024, jenis, penyusun)
            operations.ubah_kepala(db.session, d, penyusun, Kepala(tempat=t("Batu"), tanggal=date(2024, 1, 2),
                                                                  dipa_nomor=t("SP DIPA-076", in_excel=False), pagu=1_000_000), None)
            operations.simpan_program(db.session, d, penyusun, [ProgramData(t("076.01.CQ"), t(FORMULAS[2]), 900_000)], None)
            if jenis.bentuk.name == "RAK":
                unit = "kul" if jenis is JenisDokumen.RAK_SEKRETARIAT else "teknis"
                for no, f in enumerate(FORMULAS, start=1):
                    operations.simpan_baris(db.session, d, penyusun, BarisData(
                        sasaran=t(f"{f} sasaran {no}"), indikator=t(f"{f} indikator {no}"), target="100%", kegiatan=[t(f"{f} kegiatan {no}"), t(f"{f} rapat {no}")],
                        kode_output="CQ.6709.QGE.003", sel_jadwal=[1, 2], biaya=250_000, pelaksana=unit))
            else:
                for no, f in enumerate(FORMULAS, start=1):
                    s = operations.simpan_sasaran(db.session, d, penyusun, t(f"{f} sasaran {no}"), t(f"{f} tujuan {no}"))
                    operations.simpan_indikator(db.session, d, penyusun, s.kunci, t(f"{f} indikator {no}"), "80%")
                    # A unit that reads like a formula lives in the number format ("#,##0" =Laporan""), never a cell.
                    operations.simpan_indikator(db.session, d, penyusun, s.kunci, t(f"{f} jumlah {no}"),
                                                f"12 {prefix.strip()}Laporan")
                    operations.simpan_indikator(db.session, d, penyusun, s.kunci, t(f"{f} opini {no}"), "WTP", Polaritas.NAIK)
            docs[(kode, jenis)] = d
        # Sign what the LKj and the recap read, and enter some realisation.
        for kode, jenis in [("35.79", JenisDokumen.PK_KOMISI), ("35.79", JenisDokumen.PK_SEKRETARIAT),
                            ("35.79", JenisDokumen.RAK_SEKRETARIAT), ("35", JenisDokumen.PK_KOMISI)]:
            office = batu if kode == "35.79" else jatim
            d = docs[(kode, jenis)]
            operations.ajukan(db.session, d, getattr(office, jenis.penyusun.value))
            signers = ("sekretaris", "ketua") if jenis in (JenisDokumen.PK_SEKRETARIAT, JenisDokumen.RAK_SEKRETARIAT) \
                else ("ketua",)
            for role in signers:
                operations.tandatangani(db.session, d, getattr(office, role))
        pk = docs[("35.79", JenisDokumen.PK_KOMISI)]
        first = pk.revisi_aktif.sasaran[0].indikator[0]
        realisasi_ops.simpan_realisasi(db.session, pk, batu.ketua, [Isian(first.kunci, 1, "60%", t("https://kpu.go.id/ba", in_excel=False))])
        rak = docs[("35.79", JenisDokumen.RAK_SEKRETARIAT)]
        realisasi_ops.simpan_realisasi_anggaran(db.session, rak, batu.sekretaris,
                                                [IsianAnggaran(rak.revisi_aktif.baris[0].kunci, 1, "Rp 100.000")])
        lkj_doc = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.LKJ, batu.sekretaris)
        operations.ubah_kepala(db.session, lkj_doc, batu.sekretaris, Kepala(tempat=t("Batu"), tanggal=date(2025, 1, 13)), None)
        operations.simpan_bab_lkj(db.session, lkj_doc, batu.sekretaris, "penutup", typed(prefix, "1+1\n=SUM(A1)\nSelesai."))
        docs[("35.79", JenisDokumen.LKJ)] = lkj_doc
        db.session.commit()
        return {"docs": docs, "texts": texts, "jatim": tree["35"]}

    return build


@pytest.mark.parametrize("prefix", PREFIXES, ids=["eq", "plus", "minus", "at", "tab", "newline"])
def test_formula_text_stays_text_in_every_export(db, backend, formula_world, prefix):
    world = formula_world(prefix)
    files = {f"{kode} {jenis.value}": xlsx.dokumen_xlsx(d) for (kode, jenis), d in world["docs"].items()}
    files["rekap 35"] = xlsx.rekap_xlsx(db.session, world["jatim"], 2024)
    files["rekap RI"] = xlsx.rekap_xlsx(db.session, db.session.get(type(world["jatim"]), world["jatim"].parent_id), 2024)
    total, strings = 0, []
    for name, data in files.items():
        found, checked, values = formula_cells(data)
        assert found == [], f"{name}: {found[:5]}"
        total += checked
        strings += values
    # Round trip: each text typed in a document or as a signatory's name is read back as a
    # string, as the editors keep it (the LKj's tables and the recap bring the PK's too).
    every = "\n".join(strings)
    missing = sorted({text for text in world["texts"] if text not in every})
    assert missing == [], missing[:5]
    _record(backend, prefix, total, len(files))


@st.composite
def formula_text(draw):
    prefix = draw(st.sampled_from(PREFIXES + ["", " =", "\u200b="]))
    body = draw(st.one_of(st.sampled_from(FORMULAS), st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
                                                             min_size=1, max_size=20)))
    return prefix + body


def test_any_formula_looking_text_in_a_rak_row_stays_text(db, backend, make_dokumen, people):
    """Hypothesis: random text after a formula sign, in every text of a RAK row, exported."""
    rak = make_dokumen("rak_sekretariat", baris=1)
    sekretaris = people("35.79").sekretaris
    cells = files = 0

    @settings(max_examples=15, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(formula_text(), min_size=4, max_size=4))
    def run(texts):
        nonlocal cells, files
        sasaran, indikator, kegiatan, tempat = texts
        if not shown(indikator):
            indikator = "=" + indikator
        operations.ubah_kepala(db.session, rak, sekretaris, Kepala(tempat=tempat), None)
        operations.simpan_baris(db.session, rak, sekretaris, BarisData(
            sasaran=sasaran, indikator=indikator, target="100%", kegiatan=[kegiatan], kode_output=None,
            sel_jadwal=[1], biaya=1, pelaksana="kul"), kunci=rak.revisi_aktif.baris[0].kunci)
        db.session.commit()
        found, checked, strings = formula_cells(xlsx.dokumen_xlsx(rak))
        assert found == []
        every = "\n".join(strings)
        for text in (sasaran, indikator, kegiatan, tempat):
            kept = xlsx._bersih(shown(text))
            assert kept in every, kept
        cells += checked
        files += 1

    run()
    _record(backend, "hypothesis", cells, files)
