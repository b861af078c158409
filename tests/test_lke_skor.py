"""The worksheet as data and its arithmetic: 80 criteria and their weights, the reference's
worked examples, and a property test over random answer sets (weights, bounds, predikat
edges), all in decimals."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.evaluasi import lke, skor
from workflow.evaluasi.skor import Nilai

D = Decimal


@pytest.fixture(scope="module")
def lembar():
    """The bundled worksheet as the loader reads it (no database)."""
    return lke.baca(lke.BAKU.read_text(encoding="utf-8"))


def test_the_bundled_worksheet_has_80_criteria_weighted_to_100(lembar):
    assert [k.bobot for k in lembar] == [30, 30, 15, 25]
    subs = [s for k in lembar for s in k.sub.values()]
    assert [(s.kode, s.jenis, s.bobot, len(s.kriteria)) for s in subs] == [
        ("1.a", "Pemenuhan", 6, 6), ("1.b", "Kualitas", 9, 11), ("1.c", "Pemanfaatan", 15, 8),
        ("2.a", "Pemenuhan", 6, 3), ("2.b", "Kualitas", 9, 7), ("2.c", "Pemanfaatan", 15, 10),
        ("3.a", "Pemenuhan", 3, 6), ("3.b", "Kualitas", D("4.5"), 9), ("3.c", "Pemanfaatan", D("7.5"), 7),
        ("4.a", "Pemenuhan", 5, 3), ("4.b", "Kualitas", D("7.5"), 5), ("4.c", "Pemanfaatan", D("12.5"), 5)]
    assert sum(len(s.kriteria) for s in subs) == 80
    assert sum(s.bobot for s in subs) == 100


def test_the_worked_examples_of_the_reference():
    # 1.c: 7 of 8 criteria fulfilled -> B -> 0,70 x 15 = 10,5; 1.a graded A -> 0,9 x 6 = 5,4
    assert skor.usulan(7, 8) is Nilai.B
    assert skor.skor(Nilai.B, D(15)) == D("10.5")
    assert skor.skor(Nilai.A, D(6)) == D("5.4")


@pytest.mark.parametrize(("terpenuhi", "jumlah", "nilai"), [
    (0, 8, Nilai.E), (1, 8, Nilai.D), (2, 8, Nilai.D), (3, 8, Nilai.C), (4, 8, Nilai.C), (5, 8, Nilai.CC),
    (6, 8, Nilai.CC), (7, 8, Nilai.B), (8, 8, Nilai.BB), (1, 4, Nilai.D), (3, 4, Nilai.CC), (1, 2, Nilai.C),
])
def test_the_proposal_follows_the_share_fulfilled(terpenuhi, jumlah, nilai):
    assert skor.usulan(terpenuhi, jumlah) is nilai


def test_a_and_aa_only_at_100_percent():
    assert skor.boleh_dipilih(Nilai.AA, 8, 8) and skor.boleh_dipilih(Nilai.A, 3, 3)
    assert not skor.boleh_dipilih(Nilai.A, 7, 8) and not skor.boleh_dipilih(Nilai.AA, 0, 3)
    assert skor.boleh_dipilih(Nilai.BB, 7, 8)  # the evaluator may differ from the proposal (with a reason)


@pytest.mark.parametrize(("total", "predikat"), [
    ("100", "AA"), ("90.01", "AA"), ("90.00", "A"), ("80.01", "A"), ("80", "BB"), ("70.01", "BB"), ("70.00", "B"),
    ("68.71", "B"), ("60", "CC"), ("50.01", "CC"), ("50", "C"), ("30.01", "C"), ("30", "D"), ("0.01", "D"), ("0", "E"),
])
def test_predikat_lower_bounds_are_exclusive(total, predikat):
    assert skor.predikat(D(total)) == predikat


def test_a_total_out_of_bounds_is_refused():
    with pytest.raises(ValueError):
        skor.predikat(D("100.01"))


def _jawaban(lembar):
    subs = [s for k in lembar for s in k.sub.values()]
    return st.tuples(*[st.lists(st.booleans(), min_size=len(s.kriteria), max_size=len(s.kriteria)) for s in subs],
                     st.lists(st.sampled_from(list(Nilai)), min_size=len(subs), max_size=len(subs)))


LEMBAR = lke.baca(lke.BAKU.read_text(encoding="utf-8"))


@settings(max_examples=300, deadline=None)
@given(_jawaban(LEMBAR))
def test_any_answer_set_scores_within_bounds_exactly(data):
    *answers, pilihan = data
    subs = [s for k in LEMBAR for s in k.sub.values()]
    total = D(0)
    for s, ya, pilih in zip(subs, answers, pilihan, strict=True):
        usulan = skor.usulan(sum(ya), len(ya))
        nilai = pilih if skor.boleh_dipilih(pilih, sum(ya), len(ya)) else usulan
        nilai_skor = skor.skor(nilai, s.bobot)
        assert D(0) <= nilai_skor <= s.bobot
        assert nilai_skor == skor.dua_desimal(nilai_skor)  # exact at two decimals: nothing to round
        assert not usulan.hanya_pilihan_evaluator
        total += nilai_skor
    assert sum(s.bobot for s in subs) == 100
    assert D(0) <= total <= 100
    predikat = skor.predikat(total)
    batas = dict(skor.PREDIKAT)
    if predikat != skor.PREDIKAT_NOL:
        assert total > batas[predikat]
        better = skor.SEMUA_PREDIKAT[skor.SEMUA_PREDIKAT.index(predikat) - 1] if predikat != "AA" else None
        assert better is None or total <= batas[better]
    else:
        assert total == 0


@pytest.mark.parametrize(("ubah", "pesan"), [
    (lambda t: t.replace(",6,1.a.1,", ",7,1.a.1,"), "subkomponen berbeda"),
    (lambda t: t.replace("1.a.2,", "1.a.1,", 1), "berulang"),
    (lambda t: t.replace(",30,", ",31,"), "tidak berjumlah 31"),
    (lambda t: t.replace("komponen_bobot", "bobot", 1), "Kolom"),
    (lambda t: t.replace(",1.a.3,", ",1.b.3,", 1), "pola"),
])
def test_a_broken_worksheet_is_refused_with_its_line(ubah, pesan):
    with pytest.raises(lke.LkeTidakSah, match=pesan):
        lke.baca(ubah(lke.BAKU.read_text(encoding="utf-8")))


def test_loading_a_version_twice_keeps_it_and_another_file_under_its_name_is_refused(db, tmp_path):
    versi, baru = lke.muat(db.session, lke.BAKU, "Uji 1")
    assert baru and len(versi.kriteria) == 80 and sum(s.bobot for s in versi.subkomponen) == 100
    assert versi.sub("1.a").pernyataan == "Dokumen Perencanaan kinerja telah tersedia"
    again, baru = lke.muat(db.session, lke.BAKU, "Uji 1")
    assert again.id == versi.id and not baru
    other = tmp_path / "lain.csv"
    other.write_text(lke.BAKU.read_text(encoding="utf-8").replace("pedoman teknis", "pedoman"), encoding="utf-8")
    with pytest.raises(lke.LkeTidakSah, match="sudah dimuat dari berkas lain"):
        lke.muat(db.session, other, "Uji 1")
    newer, baru = lke.muat(db.session, other, "Uji 2")
    assert baru and lke.versi_berlaku(db.session).id == newer.id
