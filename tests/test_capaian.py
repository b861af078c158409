"""Capaian is computed, never typed: the formulas and their invariants."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.capaian import CaraAgregasi, Gabungan, Keadaan, Lampu, gabung, gabung_kode, hitung, lampu
from workflow.target import OPINI, PREDIKAT, JenisTarget, Polaritas

NAIK, TURUN = Polaritas.NAIK, Polaritas.TURUN
PERSEN, ANGKA = JenisTarget.PERSEN, JenisTarget.ANGKA
positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
non_negative = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2)


@pytest.mark.parametrize("jenis, polaritas, target, realisasi, teks", [
    (PERSEN, NAIK, "81", "77.5", "95,68%"),          # Balangan: partisipasi 77,5% of 81%
    (PERSEN, NAIK, "100", "100", "100%"),
    (ANGKA, NAIK, "2", "1", "50%"),                  # 1 of 2 Laporan
    (PERSEN, TURUN, "0.16", "0.12", "125%"),         # fewer voters missing than allowed
    (PERSEN, TURUN, "0.16", "0.20", "75%"),
    (JenisTarget.PREDIKAT, NAIK, "B", "BB", "tercapai"),
    (JenisTarget.PREDIKAT, NAIK, "BB", "B", "tidak tercapai"),
    (JenisTarget.OPINI, NAIK, "WTP", "WTP", "tercapai"),
    (JenisTarget.OPINI, NAIK, "WTP", "WDP", "tidak tercapai"),
    (PERSEN, NAIK, "0", "10", "tidak dapat dihitung"),
    (PERSEN, NAIK, None, "10", "tidak dapat dihitung"),
    (PERSEN, NAIK, "90", None, "tidak dapat dihitung"),
])
def test_capaian_as_an_lkj_table_writes_it(jenis, polaritas, target, realisasi, teks):
    assert hitung(jenis, polaritas, target, realisasi).teks == teks


@given(target=positive)
def test_meeting_the_target_exactly_is_100_percent_either_way(target):
    for polaritas in (NAIK, TURUN):
        assert hitung(PERSEN, polaritas, target, target).persen == 100


@given(target=positive, a=non_negative, b=non_negative)
def test_more_is_better_when_higher_is_better_and_worse_when_lower_is(target, a, b):
    low, high = sorted((a, b))
    assert hitung(ANGKA, NAIK, target, low).persen <= hitung(ANGKA, NAIK, target, high).persen
    assert hitung(ANGKA, TURUN, target, low).persen >= hitung(ANGKA, TURUN, target, high).persen


@given(target=positive, realisasi=non_negative)
def test_the_inverse_formula_mirrors_around_the_target(target, realisasi):
    # Missing the target by d costs as much as beating it by d gains.
    up, down = hitung(ANGKA, NAIK, target, realisasi).persen, hitung(ANGKA, TURUN, target, realisasi).persen
    assert abs(up + down - 200) < Decimal("1e-20")  # exact but for Decimal's last-digit rounding


@given(target=st.sampled_from(PREDIKAT), realisasi=st.sampled_from(PREDIKAT))
def test_grades_are_compared_on_their_scale(target, realisasi):
    result = hitung(JenisTarget.PREDIKAT, NAIK, target, realisasi)
    better_or_equal = PREDIKAT.index(realisasi) <= PREDIKAT.index(target)
    assert result.keadaan is (Keadaan.TERCAPAI if better_or_equal else Keadaan.TIDAK_TERCAPAI)
    assert result.persen is None


@given(target=st.sampled_from(OPINI), realisasi=st.sampled_from(OPINI))
def test_an_opinion_is_reached_when_as_good_or_better(target, realisasi):
    assert (hitung(JenisTarget.OPINI, NAIK, target, realisasi).keadaan is Keadaan.TERCAPAI) == (
        OPINI.index(realisasi) <= OPINI.index(target))


@given(values=st.lists(st.one_of(st.none(), non_negative), max_size=12))
def test_an_empty_period_is_not_a_zero(values):
    present = [v for v in values if v is not None]
    for cara in CaraAgregasi:
        result = gabung(values, cara)
        if not present:
            assert result is None
        elif cara is CaraAgregasi.JUMLAH:
            assert result == sum(present)
        elif cara is CaraAgregasi.TERAKHIR:
            assert result == present[-1]
        else:
            assert min(present) <= result <= max(present)


def test_average_leaves_empty_months_out():
    assert gabung([Decimal(80), None, Decimal(100)], CaraAgregasi.RATA_RATA) == 90
    assert gabung_kode(["B", None, "BB", None]) == "BB"


@pytest.mark.parametrize("teks, warna", [("100", Lampu.HIJAU), ("85", Lampu.KUNING), ("50", Lampu.MERAH)])
def test_traffic_lights(teks, warna):
    assert lampu(hitung(PERSEN, NAIK, "100", teks)) is warna
    assert lampu(hitung(PERSEN, NAIK, "0", teks)) is Lampu.ABU


@given(st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=10**11, places=4, allow_nan=False,
                                                 allow_infinity=False)), max_size=12),
       st.sampled_from(list(CaraAgregasi)))
def test_a_running_figure_is_gabung_of_what_came_so_far(values, cara):
    # A chart's figure to date after each period: the same as adding up again each time.
    running = Gabungan(cara)
    for n, value in enumerate(values, start=1):
        running.tambah(value)
        assert running.nilai == gabung(values[:n], cara)
