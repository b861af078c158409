"""The recap of a year's evaluations (issue 18 point 5): values from the final evaluations,
the others with their status, sorting, the province filter, the predikat per province,
the years before and the change, who sees what, the Excel read back, and a statement
count that does not grow with the offices."""
from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest

from tenants.hierarchy import Office, load_hierarchy
from tenants.satker import Tingkat
from workflow.evaluasi import operations, queries, rekap
from workflow.evaluasi.models import StatusEvaluasi
from workflow.evaluasi.operations import IsianKriteria, PenilaianKriteria, PenilaianSub
from workflow.generate import evaluasi_tahun

TAHUN = 2024


def _final(db, satker, tahun, sek, insp, tidak=frozenset(), sampai="final"):
    """The office answers (``tidak``: the criteria not fulfilled) and submits; the evaluator
    agrees with everything, grades as proposed and goes as far as ``sampai``."""
    ev = operations.buka(db.session, satker, tahun, sek)
    operations.simpan_jawaban(db.session, satker, tahun, sek, {
        k.kode: IsianKriteria("T" if k.kode in tidak else "Y", "catatan") for k in ev.lke.kriteria})
    operations.transisi(db.session, satker, tahun, "ajukan", sek)
    if sampai == "diajukan":
        return ev
    for h in queries.hasil(db.session, ev).sub:
        rows = queries.jawaban(db.session, ev)
        operations.simpan_penilaian(db.session, satker, tahun, insp, h.sub.kode, PenilaianSub(
            {k.kode: PenilaianKriteria(True, versi=rows[k.kode].versi) for k in h.sub.kriteria}, h.usulan.value))
    operations.transisi(db.session, satker, tahun, "terbitkan", insp)
    operations.transisi(db.session, satker, tahun, "finalkan", insp)
    return ev


# Criteria left unfulfilled: whole sub-components at 0 % pull a total down far enough to
# change the predikat.
SEBAGIAN = frozenset({"1.c.8", "2.c.1"})
BANYAK = frozenset({f"1.b.{n}" for n in range(1, 12)} | {f"3.b.{n}" for n in range(1, 9)} | {"4.a.3"})


@pytest.fixture
def dunia(db, tree, people):
    """2024: Batu and Denpasar final, Badung submitted, Malang and Bali not started, Jawa Timur final;
    2023: Batu final lower, Denpasar submitted only."""
    insp = people("RI").inspektorat
    sek = {k: people(k).sekretaris for k in ("35", "35.79", "51.71", "51.03")}
    ev = {"35.79": _final(db, tree["35.79"], TAHUN, sek["35.79"], insp, SEBAGIAN),
          "51.71": _final(db, tree["51.71"], TAHUN, sek["51.71"], insp, BANYAK),
          "35": _final(db, tree["35"], TAHUN, sek["35"], insp),
          "51.03": _final(db, tree["51.03"], TAHUN, sek["51.03"], insp, sampai="diajukan")}
    lalu = {"35.79": _final(db, tree["35.79"], TAHUN - 1, sek["35.79"], insp, BANYAK),
            "51.71": _final(db, tree["51.71"], TAHUN - 1, sek["51.71"], insp, sampai="diajukan")}
    db.session.commit()
    return ev, lalu, insp


def test_values_status_distribution_and_the_change_from_last_year(db, tree, dunia):
    ev, lalu, insp = dunia
    r = rekap.rekap(db.session, insp, TAHUN)
    baris = {b.satker.kode: b for b in r.baris}
    assert list(baris) == ["35", "35.73", "35.79", "51", "51.03", "51.71"], "every office below KPU RI, hierarchy order"
    batu = baris["35.79"]
    assert batu.ini.status is StatusEvaluasi.FINAL and batu.skor == ev["35.79"].skor_total
    assert batu.predikat == ev["35.79"].predikat == "BB"
    # the component scores are those of the hashed result, to the cent
    hasil = json.loads(ev["35.79"].isi_final)["komponen"]
    assert [k.kode for k in r.komponen] == [k["kode"] for k in hasil] == ["1", "2", "3", "4"]
    assert {k: str(v) for k, v in batu.komponen.items()} == {k["kode"]: k["skor"] for k in hasil}
    assert sum(batu.komponen.values()) == batu.skor
    denpasar = baris["51.71"]
    assert denpasar.predikat == ev["51.71"].predikat and denpasar.skor < batu.skor
    assert (baris["51.03"].ini.status, baris["51.03"].skor, baris["51.03"].komponen) == (StatusEvaluasi.DIAJUKAN, None, {})
    assert baris["35.73"].ini is None and baris["35.73"].predikat is None
    # the years before: Batu's 2023 total and the change; Denpasar's 2023 not final: no change
    assert r.tahun_sebelumnya == [2023, 2022, 2021]
    assert batu.sebelumnya[2023].skor_total == lalu["35.79"].skor_total and batu.sebelumnya[2022] is None
    assert batu.perubahan == batu.skor - lalu["35.79"].skor_total > 0
    assert denpasar.sebelumnya[2023].status is StatusEvaluasi.DIAJUKAN and denpasar.perubahan is None
    # the predikat per province, and everyone
    per = {d.provinsi.kode: d for d in r.distribusi}
    assert per["35"].jumlah["BB"] == 2 and per["35"].final == 2 and per["35"].belum_final == 1
    assert per["51"].jumlah[denpasar.predikat] == 1 and per["51"].final == 1 and per["51"].belum_final == 2
    assert r.total.final == 3 and r.total.belum_final == 3 and r.total.jumlah["BB"] == 2


def test_sorting_by_any_column_empty_values_last(db, tree, dunia):
    _ev, _lalu, insp = dunia
    kode = lambda r: [b.satker.kode for b in r.baris]  # noqa: E731
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="skor", turun=True))[:3] == ["35", "35.79", "51.71"]
    naik = kode(rekap.rekap(db.session, insp, TAHUN, urut="skor"))
    assert naik[:3] == ["51.71", "35.79", "35"] and set(naik[3:]) == {"35.73", "51", "51.03"}
    # predikat ascending: the worst first, as the scores (ties in the hierarchy's order)
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="predikat"))[:3] == ["51.71", "35", "35.79"]
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="predikat", turun=True))[:3] == ["35", "35.79", "51.71"]
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="satker")) == ["51.03", "35.79", "51.71", "35.73", "51", "35"]
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="k-3"))[0] == "51.71"
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="t-2023"))[0] == "35.79"
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="status"))[0] == "35.73"
    assert kode(rekap.rekap(db.session, insp, TAHUN, urut="tidak-ada")) == kode(rekap.rekap(db.session, insp, TAHUN))


def test_the_page_filters_by_province_sorts_and_counts(db, tree, dunia, client, login):
    _ev, _lalu, insp = dunia
    login(insp)
    page = client.get(f"/evaluasi/rekap?tahun={TAHUN}&urut=skor&arah=turun")
    assert page.status_code == 200
    text = page.text
    assert text.index('data-testid="rekap-35"') < text.index('data-testid="rekap-35.79"') < \
        text.index('data-testid="rekap-51.71"') < text.index('data-testid="rekap-35.73"')
    assert 'aria-sort="descending"' in text and "Diajukan, dinilai evaluator" in text
    assert 'data-testid="distribusi-jumlah"' in text
    jatim = client.get(f"/evaluasi/rekap?tahun={TAHUN}&provinsi=35").text
    assert 'data-testid="rekap-35.79"' in jatim and 'data-testid="rekap-51.71"' not in jatim
    assert 'data-testid="distribusi-51"' not in jatim
    assert client.get(f"/evaluasi/rekap?tahun={TAHUN}&provinsi=35.79").status_code == 404  # not a province
    # the evaluator's list and the national dashboard link here
    assert 'data-testid="daftar-rekap-evaluasi"' in client.get(f"/evaluasi?tahun={TAHUN}").text
    assert f'href="/evaluasi/rekap?tahun={TAHUN}"' in client.get(f"/satker/RI/dasbor?tahun={TAHUN}").text


def test_each_sees_what_scoping_gives_a_foreign_province_is_missing(db, tree, dunia, people, client, login, app):
    login(people("35.79").sekretaris)
    sendiri = client.get(f"/evaluasi/rekap?tahun={TAHUN}").text
    assert 'data-testid="rekap-35.79"' in sendiri
    assert 'data-testid="rekap-35"' not in sendiri and 'data-testid="rekap-35.73"' not in sendiri
    assert 'data-testid="rekap-51.71"' not in sendiri
    missing = client.get(f"/evaluasi/rekap?tahun={TAHUN}&provinsi=99")
    foreign = client.get(f"/evaluasi/rekap?tahun={TAHUN}&provinsi=35")
    assert missing.status_code == foreign.status_code == 404
    assert missing.text.replace("provinsi=99", "provinsi=35") == foreign.text
    xlsx = client.get(f"/evaluasi/rekap.xlsx?tahun={TAHUN}&provinsi=35")
    assert xlsx.status_code == 404
    client = login(people("35").reviewer, c=app.test_client())
    jatim = client.get(f"/evaluasi/rekap?tahun={TAHUN}").text
    assert {"rekap-35", "rekap-35.79", "rekap-35.73"} <= set(_testids(jatim)) and "rekap-51.71" not in _testids(jatim)
    assert client.get(f"/evaluasi/rekap?tahun={TAHUN}&provinsi=51").status_code == 404
    assert client.get(f"/evaluasi/rekap?tahun={TAHUN}&provinsi=35").status_code == 200


def _testids(text: str) -> list[str]:
    import re

    return re.findall(r'data-testid="([^"]+)"', text)


def test_the_excel_read_back_numbers_as_numbers(db, tree, dunia, client, login):
    ev, lalu, insp = dunia
    login(insp)
    response = client.get(f"/evaluasi/rekap.xlsx?tahun={TAHUN}&urut=skor&arah=turun")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert f"rekap-evaluasi-{TAHUN}.xlsx" in response.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    ws = wb["Rekap"]
    kepala = [c.value for c in ws[3]]
    assert kepala[:6] == ["Kode", "Satker", "Provinsi", "Status", "Nilai", "Predikat"]
    assert kepala[-1] == "Perubahan" and "Nilai 2023" in kepala
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert [r[0] for r in ws.iter_rows(min_row=4, values_only=True)][:3] == ["35", "35.79", "51.71"]
    batu = rows["35.79"]
    assert isinstance(batu[4], (int, float)) and Decimal(str(batu[4])) == ev["35.79"].skor_total and batu[5] == "BB"
    assert batu[kepala.index("Nilai 2023")] == float(lalu["35.79"].skor_total)
    assert batu[-1] == pytest.approx(float(ev["35.79"].skor_total - lalu["35.79"].skor_total))
    assert rows["51.03"][3] == "Diajukan, dinilai evaluator" and rows["51.03"][4] is None
    assert rows["35.73"][3] == "Belum dimulai"
    dist = {r[0]: r for r in wb["Distribusi predikat"].iter_rows(min_row=4, values_only=True)}
    assert dist["KPU Provinsi Jawa Timur"][3] == 2 and dist["Jumlah"][-2:] == (3, 3)


def test_statements_do_not_grow_with_the_offices(db, tree, people, count_statements, client, login):
    insp = people("RI").inspektorat
    evaluasi_tahun(db.session, TAHUN)
    evaluasi_tahun(db.session, TAHUN - 1)
    db.session.commit()
    login(insp)

    def hitung() -> tuple[int, int, int]:
        db.session.expire_all()
        _ = [m.satker.path for m in insp.memberships]
        with count_statements() as counter:
            r = rekap.rekap(db.session, insp, TAHUN, urut="skor")
        with count_statements() as page:
            assert client.get(f"/evaluasi/rekap?tahun={TAHUN}&urut=skor&arah=turun").status_code == 200
        return counter.count, page.count, len(r.baris)

    hitung()  # the first page after signing in also touches the session
    sedikit, halaman, n = hitung()
    load_hierarchy(db.session, [Office("52", "KPU Provinsi Nusa Tenggara Barat", Tingkat.PROVINSI, "RI"),
                                *[Office(f"52.{n:02d}", f"KPU Kabupaten Uji {n}", Tingkat.KABKOTA, "52")
                                  for n in range(1, 25)]])
    evaluasi_tahun(db.session, TAHUN)
    evaluasi_tahun(db.session, TAHUN - 1)
    db.session.commit()
    banyak, halaman_banyak, m = hitung()
    assert (n, m) == (6, 31) and sedikit == banyak == 3
    assert halaman == halaman_banyak


def test_scores_are_written_as_the_desimal_filter_writes_them(app):
    from webapp.evaluasi_rekap import skor_teks
    from webapp.i18n import desimal

    values = [Decimal(v) for v in ("0", "0.00", "68.71", "80.00", "70.5", "-2.50", "-0.05", "100.00", "999.99", "5")]
    values += [Decimal("1234.5"), Decimal("1.234"), *(Decimal(n) / 100 for n in range(-300, 10001, 37))]
    with app.test_request_context():
        assert [skor_teks(v) for v in values] == [desimal(v) for v in values]
        assert skor_teks(None) == "-" and skor_teks(Decimal("68.71")) == "68,71" and skor_teks(Decimal("80.00")) == "80"


def test_in_english_the_recap_and_its_excel_speak_english(db, tree, dunia, client, login):
    from tests.conftest import csrf_token_from

    _ev, _lalu, insp = dunia
    login(insp)
    home = client.get("/", follow_redirects=True)
    assert client.post("/bahasa", data={"lang": "en", "next": "/",
                                         "csrf_token": csrf_token_from(home.text)}).status_code == 302
    page = client.get(f"/evaluasi/rekap?tahun={TAHUN}").text
    assert "AKIP evaluation recap 2024" in page and "Rating distribution" in page and "Not final yet" in page
    assert "Rekap Evaluasi AKIP" not in page and "Belum dimulai" not in page
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/evaluasi/rekap.xlsx?tahun={TAHUN}").data))
    assert wb.sheetnames == ["Recap", "Rating distribution"]
    assert [c.value for c in wb["Recap"][3]][:6] == ["Code", "Office", "Provinces", "Status", "Grade", "Rating"]
    assert "Grade 2023" in [c.value for c in wb["Recap"][3]]
