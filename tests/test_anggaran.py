"""A RAK's costs per output code, kegiatan code and program against the pagu (issue 4,
point 4): computed from the rows, the stated figures beside them, the difference shown."""
import html
import json
import re
from collections import defaultdict
from types import SimpleNamespace

import pytest

from tests.conftest import section
from tests.documents import baris_contoh
from workflow import seeds
from workflow.anggaran import pagu as anggaran
from workflow.dokumen import operations
from workflow.dokumen.checks import rupiah
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.operations import Kepala, ProgramData

BATU_RAK = seeds.DIREKTORI / "35.79-2024-rak_sekretariat.json"



@pytest.fixture
def batu_rak(db, tree, make_user, tmp_path):
    """Kota Batu's RAK Sekretariat 2024 as the demo loads it from its transcription."""
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    (tmp_path / BATU_RAK.name).write_text(BATU_RAK.read_text(encoding="utf-8"), encoding="utf-8")
    [ringkasan] = seeds.load_demo_documents(db.session, tmp_path)
    db.session.commit()
    assert ringkasan.catatan == []
    return operations.cari_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_SEKRETARIAT)


def test_the_batu_rak_shows_its_costs_per_kegiatan_code_against_the_pagu(app, db, login, people, batu_rak):
    seed = json.loads(BATU_RAK.read_text(encoding="utf-8"))
    per_kegiatan = defaultdict(int)
    for row in seed["baris"]:
        per_kegiatan[row["kode_output"].split(".")[1] if row["kode_output"] else "tanpa-kode"] += row["biaya"]
    total = sum(per_kegiatan.values())
    assert total == 15_556_432_100

    page = login(people("35.79").sekretaris).get(f"/dokumen/{batu_rak.id}").text
    for kode, biaya in per_kegiatan.items():
        assert rupiah(biaya) in section(page, f"kegiatan-{kode}"), kode
    assert section(page, "kegiatan-6709").startswith(
        "CQ.6709 CQ.6709.QGE.001, CQ.6709.QGE.003, CQ.6709.QGE.004, CQ.6709.RAN.001, CQ.6709.RAN.002 7 Rp 1.152.762.000")
    assert section(page, "kegiatan-3355").startswith("WA.3355 WA.3355.EBA.994 1 Rp 2.563.892.000")
    pagu = section(page, "anggaran-baris")
    assert "Rp 15.556.432.100 Rp 20.999.655.000 Rp 5.443.222.900 74,08%" in pagu
    assert "Perkiraan biaya 15 baris" in pagu
    # The programs as printed (Rp 19.527.520.000) beside the pagu as printed.
    assert section(page, "anggaran-program-total") == (
        "Anggaran program (dinyatakan) Rp 19.527.520.000 Rp 20.999.655.000 Rp 1.472.135.000")
    assert section(page, "program-CQ").startswith(
        "CQ Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi 12 Rp 12.792.855.100 "
        "Rp 18.384.118.000 Rp 5.591.262.900 69,59%")
    assert "Rp 2.748.674.000 Rp 1.143.402.000 -Rp 1.605.272.000" in section(page, "program-WA")
    warnings = [html.unescape(w) for w in re.findall(r'data-testid="anggaran-peringatan">([^<]+)<', page)]
    assert warnings == [
        "Jumlah perkiraan biaya baris Rp 15.556.432.100 kurang dari pagu Rp 20.999.655.000: selisih Rp 5.443.222.900.",
        "Perkiraan biaya baris program WA Rp 2.748.674.000 melebihi anggaran program Rp 1.143.402.000: "
        "selisih Rp 1.605.272.000.",
    ]


def test_rows_are_grouped_per_output_code_kegiatan_and_program():
    rows = [SimpleNamespace(kode_output=k, biaya=b) for k, b in (
        ("CQ.6709.QGE.004", 101_570_000), ("WA.3355.EBA.994", 50_000_000), ("CQ.6709.QGE.004", 100_000_000),
        ("CQ.6709.QGE.003", 99_498_000), (None, 14_903_000), ("CQ.6871.QGE.001", None))]
    pagu = anggaran.Pagu(400_000_000, (("076.01.CQ", "Program Penyelenggaraan Pemilu", 300_000_000),
                                       ("076.01.WA", "Program Dukungan Manajemen", 100_000_000)))
    r = anggaran.ringkasan(rows, pagu)
    assert [(g.kode, g.baris, g.biaya) for g in r.per_output] == [
        ("CQ.6709.QGE.003", 1, 99_498_000), ("CQ.6709.QGE.004", 2, 201_570_000), ("CQ.6871.QGE.001", 1, 0),
        ("WA.3355.EBA.994", 1, 50_000_000), ("tanpa kode", 1, 14_903_000)]
    assert [(g.kode, g.program, g.kode_output, g.biaya) for g in r.per_kegiatan] == [
        ("6709", "CQ", ["CQ.6709.QGE.003", "CQ.6709.QGE.004"], 301_068_000), ("6871", "CQ", ["CQ.6871.QGE.001"], 0),
        ("3355", "WA", ["WA.3355.EBA.994"], 50_000_000), ("tanpa kode", None, [], 14_903_000)]
    assert [(g.kode, g.biaya, g.anggaran, g.selisih) for g in r.per_program] == [
        ("CQ", 301_068_000, 300_000_000, -1_068_000), ("WA", 50_000_000, 100_000_000, 50_000_000),
        ("tanpa kode", 14_903_000, None, None)]
    assert (r.total, r.baris, r.tanpa_biaya, r.selisih_pagu, r.selisih_program) == (
        365_971_000, 6, 1, 34_029_000, 0)
    assert str(r.per_output[1].porsi) == "50.39" and str(r.porsi) == "91.49"
    assert r.per_kegiatan[1].tanpa_biaya == 1
    assert r.peringatan[1] == ("Perkiraan biaya baris program CQ Rp 301.068.000 melebihi anggaran program "
                               "Rp 300.000.000: selisih Rp 1.068.000.")


def test_a_row_without_a_code_is_grouped_as_tanpa_kode(app, db, login, people, make_dokumen):
    rak = make_dokumen("rak_sekretariat", baris=2)
    sekretaris = people("35.79").sekretaris
    data = baris_contoh(3, "kul", biaya=5_000_000)
    data.kode_output = None
    operations.simpan_baris(db.session, rak, sekretaris, data)
    db.session.commit()
    page = login(sekretaris).get(f"/dokumen/{rak.id}").text
    for testid in ("output-tanpa-kode", "kegiatan-tanpa-kode", "program-tanpa-kode"):
        assert section(page, testid).startswith("tanpa kode"), testid
        assert "Rp 5.000.000" in section(page, testid)
    assert section(page, "output-CQ.6709.QGE.003").startswith("CQ.6709.QGE.003 2 Rp 2.000.000")
    assert "Rp 7.000.000" in section(page, "anggaran-baris")


def test_a_rak_without_a_pagu_is_held_against_the_pk_of_its_side(app, db, tree, login, people, make_dokumen):
    make_dokumen("pk_sekretariat")  # pagu Rp 20.999.655.000, programs CQ and WA
    sekretaris = people("35.79").sekretaris
    rak = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_SEKRETARIAT, sekretaris)
    operations.simpan_baris(db.session, rak, sekretaris, baris_contoh(1, "kul", biaya=1_000_000))
    komisioner = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_KOMISIONER,
                                         people("35.79").ketua)
    db.session.commit()
    c = login(sekretaris)
    page = c.get(f"/dokumen/{rak.id}").text
    assert "RAK ini tidak menyatakan pagu; pagu diambil dari PK Sekretariat 2024." in section(page, "ringkasan-anggaran")
    assert "Rp 1.000.000 Rp 20.999.655.000 Rp 20.998.655.000" in section(page, "anggaran-baris")
    assert "Rp 18.384.118.000" in section(page, "program-CQ")
    # The Komisi's RAK is not held against the Sekretariat's PK.
    r = anggaran.ringkasan_dokumen(db.session, komisioner, komisioner.revisi_aktif)
    assert r.pagu.jumlah is None and r.per_program == [] and r.peringatan == []
    # Programs the RAK states stand beside the PK's pagu.
    operations.simpan_program(db.session, rak, sekretaris, [ProgramData("076.01.CQ", "Program Pemilu", 900_000)],
                              versi=None)
    db.session.commit()
    page = c.get(f"/dokumen/{rak.id}").text
    assert "Rp 20.999.655.000" in section(page, "anggaran-baris") and "WA" not in section(page, "anggaran-per-program")
    assert "Rp 1.000.000 Rp 900.000 -Rp 100.000" in section(page, "program-CQ")
    # Once the RAK states its own pagu, that one counts.
    operations.ubah_kepala(db.session, rak, sekretaris, Kepala(pagu=2_000_000), versi=None)
    db.session.commit()
    assert "Rp 1.000.000 Rp 2.000.000 Rp 1.000.000 50%" in section(c.get(f"/dokumen/{rak.id}").text, "anggaran-baris")


def test_only_a_rak_has_the_summary(app, db, login, people, make_dokumen):
    pk = make_dokumen("pk_sekretariat")
    assert 'data-testid="ringkasan-anggaran"' not in login(people("35.79").sekretaris).get(f"/dokumen/{pk.id}").text


@pytest.mark.parametrize("pagu_sendiri", [True, False])
def test_the_page_issues_as_many_statements_for_many_rows_as_for_few(app, db, login, people, make_dokumen,
                                                                      count_statements, pagu_sendiri):
    if not pagu_sendiri:
        make_dokumen("pk_sekretariat", kode="35.79")
        make_dokumen("pk_sekretariat", kode="35.73")
    c = login(people("35").reviewer)
    counts = []
    for kode, n in (("35.79", 3), ("35.73", 40)):
        rak = make_dokumen("rak_sekretariat", kode=kode, baris=n)
        if not pagu_sendiri:
            penyusun = people(kode).sekretaris
            operations.ubah_kepala(db.session, rak, penyusun, Kepala(), versi=None)
            operations.simpan_program(db.session, rak, penyusun, [], versi=None)
            db.session.commit()
        c.get(f"/dokumen/{rak.id}")
        with count_statements() as counter:
            page = c.get(f"/dokumen/{rak.id}").text
        assert f"Perkiraan biaya {n} baris" in section(page, "anggaran-baris")
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
