"""An indikator's pelaksana (who enters its realisation) and how its periods add up, chosen
by the penyusun in the indikator editor (issue 4, point 2)."""
import html
import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token_from
from workflow.dokumen import canonical, cascade, operations
from workflow.dokumen.diff import Bagian, JenisPerubahan, bandingkan
from workflow.dokumen.models import AlasanRevisi, JenisDokumen
from workflow.errors import Ditolak, IsiTidakValid
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.models import Realisasi

PARTISIPASI = "Persentase partisipasi pemilih"
LAPORAN = "Jumlah laporan pemutakhiran data"
SAKIP = "Nilai akuntabilitas kinerja"
RENDATIN = "Subbagian Perencanaan, Data dan Informasi"


def buat_pk(db, tree, people, jenis=JenisDokumen.PK_SEKRETARIAT, kode="35.79", tahun=2024):
    penyusun = getattr(people(kode), jenis.penyusun.value)
    pk = operations.buat_dokumen(db.session, tree[kode], tahun, jenis, penyusun)
    s = operations.simpan_sasaran(db.session, pk, penyusun, "Meningkatnya kualitas data pemilih")
    for uraian, target in ((PARTISIPASI, "80%"), (LAPORAN, "12 Laporan"), (SAKIP, "BB")):
        operations.simpan_indikator(db.session, pk, penyusun, s.kunci, uraian, target)
    db.session.commit()
    return pk


def tandatangani(db, pk, people, kode="35.79"):
    office = people(kode)
    operations.ajukan(db.session, pk, getattr(office, pk.jenis.penyusun.value))
    if pk.jenis is JenisDokumen.PK_SEKRETARIAT:
        operations.tandatangani(db.session, pk, office.sekretaris)
    operations.tandatangani(db.session, pk, office.ketua)
    db.session.commit()


def indikator(pk, uraian):
    return next(i for s in pk.revisi_aktif.sasaran for i in s.indikator if i.uraian == uraian)


def editor_url(pk, uraian):
    i = indikator(pk, uraian)
    return f"/dokumen/{pk.id}/sasaran/{i.sasaran.kunci}/indikator/{i.kunci}"


def kirim_editor(c, pk, nama, **changes):
    """Open the indikator's editor and post it back with ``changes``."""
    url = editor_url(pk, nama)
    page = c.get(url).text
    i = indikator(pk, nama)
    data = {"csrf_token": csrf_token_from(page), "versi": re.search(r'name="versi"[^>]*value="(\d+)"', page).group(1),
            "uraian": i.uraian, "target": i.target, "polaritas": i.polaritas.value,
            "pelaksana": i.pelaksana or "", "cara_agregasi": i.cara_agregasi or ""}
    return c.post(url, data=data | changes)


def entries(db, pk):
    return {(r.indikator_kunci, r.bulan): r.nilai for r in db.session.scalars(
        sa.select(Realisasi).where(Realisasi.dokumen_id == pk.id))}


def row_html(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start:page.index("</tr>", start)]


# -- the editor ---------------------------------------------------------------------------------

def test_the_editor_offers_the_units_of_the_documents_side_and_the_ways_to_add_up(app, db, tree, people, login):
    sekretariat, komisi = buat_pk(db, tree, people), buat_pk(db, tree, people, JenisDokumen.PK_KOMISI)
    c = login(people("35.79").sekretaris, c=app.test_client())
    page = html.unescape(c.get(editor_url(sekretariat, PARTISIPASI)).text)
    assert "Penyusun (Sekretaris)" in page and RENDATIN in page and "Subbagian Hukum dan SDM" in page
    assert "Divisi Teknis Penyelenggaraan" not in page and "Semua Subbagian" not in page
    assert all(label in page for label in ("Dijumlahkan", "Nilai terakhir", "Rata-rata", "Bawaan"))
    c = login(people("35.79").ketua, c=app.test_client())
    page = html.unescape(c.get(editor_url(komisi, PARTISIPASI)).text)
    assert "Penyusun (Ketua)" in page and "Divisi Teknis Penyelenggaraan" in page and RENDATIN not in page


def test_the_subbag_chosen_in_the_editor_enters_the_realisation_and_another_cannot(app, db, tree, people, login):
    pk = buat_pk(db, tree, people)
    batu = people("35.79")
    c = login(batu.sekretaris, c=app.test_client())
    response = kirim_editor(c, pk, LAPORAN, pelaksana="rendatin")
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert indikator(pk, LAPORAN).pelaksana == "rendatin"
    assert indikator(pk, PARTISIPASI).pelaksana is None, "the other indikator stays with the penyusun"
    assert f"Pelaksana: {RENDATIN}" in html.unescape(c.get(f"/dokumen/{pk.id}").text)
    tandatangani(db, pk, people)
    laporan, partisipasi = indikator(pk, LAPORAN).kunci, indikator(pk, PARTISIPASI).kunci

    rendatin = login(batu.subbag_rendatin, c=app.test_client())
    page = rendatin.get(f"/dokumen/{pk.id}/realisasi").text
    assert set(re.findall(r'<input name="(r-[^"]+)"', page)) == {f"r-{laporan}-{b}" for b in range(1, 13)}
    assert RENDATIN in html.unescape(row_html(page, f"ind-{laporan}"))
    versi = re.search(r'name="versi" value="(\d+)"', page).group(1)
    response = rendatin.post(f"/dokumen/{pk.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), "versi": versi, f"r-{laporan}-1": "2 Laporan"})
    assert response.status_code == 302, response.text
    assert entries(db, pk) == {(laporan, 1): 2}

    kul = login(batu.subbag_kul, c=app.test_client())
    page = kul.get(f"/dokumen/{pk.id}/realisasi").text
    assert not re.findall(r'<input name="(r-[^"]+)"', page)
    for cell in (f"r-{laporan}-2", f"r-{partisipasi}-2"):
        response = kul.post(f"/dokumen/{pk.id}/realisasi", data={
            "csrf_token": csrf_token_from(page), "versi": str(pk.versi), cell: "3"})
        assert response.status_code == 403
        assert ("Realisasi ini hanya dapat diisi oleh subbagian pelaksananya atau Sekretaris KPU Kota Batu"
                in html.unescape(response.text))
    assert entries(db, pk) == {(laporan, 1): 2}, "nothing of the refused saves is kept"
    # The penyusun still enters everything.
    realisasi_ops.isi_realisasi(db.session, pk, batu.sekretaris, laporan, 2, "1 Laporan")
    realisasi_ops.isi_realisasi(db.session, pk, batu.sekretaris, partisipasi, 2, "70%")
    assert len(entries(db, pk)) == 3


def test_averaging_changes_what_the_office_dashboard_shows(app, db, tree, people, login):
    pk = buat_pk(db, tree, people, JenisDokumen.PK_KOMISI)
    ketua = people("35.79").ketua
    c = login(ketua, c=app.test_client())
    assert kirim_editor(c, pk, PARTISIPASI, cara_agregasi="rata_rata").status_code == 302
    db.session.expire_all()
    assert indikator(pk, PARTISIPASI).cara_agregasi == "rata_rata"
    tandatangani(db, pk, people)
    k = indikator(pk, PARTISIPASI).kunci
    for bulan, nilai in ((1, "60%"), (2, "100%")):
        realisasi_ops.isi_realisasi(db.session, pk, ketua, k, bulan, nilai)
    db.session.commit()

    row = row_html(c.get("/satker/35.79/dasbor?tahun=2024").text, f"ind-{k}")
    assert "Rata-rata" in row
    assert re.search(r'data-testid="realisasi">80%<', row), "the mean of 60% and 100%, not the latest"
    assert ">100%</span>" in row
    # Back to the default (a percentage: the latest value stands), through the editor of a new revision.
    operations.setujui(db.session, pk, people("35").reviewer)
    operations.revisi(db.session, pk, ketua, AlasanRevisi.LAINNYA, "Cara agregasi diperbaiki")
    db.session.commit()
    assert kirim_editor(c, pk, PARTISIPASI, cara_agregasi="").status_code == 302
    row = row_html(c.get("/satker/35.79/dasbor?tahun=2024").text, f"ind-{k}")
    assert re.search(r'data-testid="realisasi">100%<', row) and ">125%</span>" in row


@pytest.mark.parametrize("changes, message", [
    ({"pelaksana": "teknis"}, "Pelaksana 'teknis' tidak dikenal untuk PK Sekretariat: pilih salah satu subbagian"),
    ({"pelaksana": "semua"}, "Pelaksana 'semua' tidak dikenal"),
    ({"pelaksana": "x" * 500}, "Pelaksana 'xxxx"),
    ({"cara_agregasi": "median"}, "Cara agregasi 'median' tidak dikenal: pilih Dijumlahkan, Nilai terakhir, Rata-rata"),
])
def test_a_choice_that_is_not_offered_is_refused_and_nothing_is_saved(app, db, tree, people, login, changes, message):
    pk = buat_pk(db, tree, people)
    c = login(people("35.79").sekretaris, c=app.test_client())
    versi = pk.versi
    response = kirim_editor(c, pk, PARTISIPASI, uraian="Uraian yang tidak boleh tersimpan", **changes)
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    db.session.expire_all()
    i = indikator(pk, PARTISIPASI)
    assert (i.uraian, i.pelaksana, i.cara_agregasi, pk.versi) == (PARTISIPASI, None, None, versi)


def test_a_grade_is_not_summed_or_averaged(db, tree, people):
    pk = buat_pk(db, tree, people)
    i = indikator(pk, SAKIP)
    with pytest.raises(IsiTidakValid, match="predikat atau opini tidak dapat dijumlahkan atau dirata-rata"):
        operations.simpan_indikator(db.session, pk, people("35.79").sekretaris, i.sasaran.kunci, SAKIP, "BB",
                                    kunci=i.kunci, cara_agregasi="rata_rata")
    operations.simpan_indikator(db.session, pk, people("35.79").sekretaris, i.sasaran.kunci, SAKIP, "BB",
                                kunci=i.kunci, cara_agregasi="terakhir")
    assert i.cara_agregasi == "terakhir"


def test_a_locked_document_refuses_the_editor(app, db, tree, people, login):
    pk = buat_pk(db, tree, people)
    sekretaris = people("35.79").sekretaris
    c = login(sekretaris, c=app.test_client())
    page = c.get(editor_url(pk, LAPORAN)).text  # opened while still a draft
    operations.ajukan(db.session, pk, sekretaris)
    db.session.commit()
    i = indikator(pk, LAPORAN)
    response = c.post(editor_url(pk, LAPORAN), data={
        "csrf_token": csrf_token_from(page), "versi": str(pk.versi), "uraian": LAPORAN, "target": "12 Laporan",
        "polaritas": "naik", "pelaksana": "rendatin", "cara_agregasi": "rata_rata"})
    assert response.status_code == 403
    assert "isinya terkunci sejak diajukan" in html.unescape(response.text)
    with pytest.raises(Ditolak, match="terkunci"):
        operations.simpan_indikator(db.session, pk, sekretaris, i.sasaran.kunci, LAPORAN, "12 Laporan",
                                    kunci=i.kunci, pelaksana="rendatin")
    db.session.rollback()
    db.session.expire_all()
    assert (indikator(pk, LAPORAN).pelaksana, indikator(pk, LAPORAN).cara_agregasi) == (None, None)


def test_an_inherited_indikator_chooses_its_own_and_the_cascade_does_not_undo_it(db, tree, people):
    jatim = operations.buat_dokumen(db.session, tree["35"], 2024, JenisDokumen.PK_KOMISI, people("35").ketua)
    s = operations.simpan_sasaran(db.session, jatim, people("35").ketua, "Meningkatnya partisipasi")
    operations.simpan_indikator(db.session, jatim, people("35").ketua, s.kunci, LAPORAN, "12 Laporan",
                                pelaksana="perencanaan")
    cascade.turunkan(db.session, jatim, people("35").ketua)
    db.session.commit()
    batu = operations.cari_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.PK_KOMISI)
    child = indikator(batu, LAPORAN)
    assert child.induk_kunci and child.pelaksana is None, "a unit of the province is not the office's own"
    operations.simpan_indikator(db.session, batu, people("35.79").ketua, child.sasaran.kunci, LAPORAN, "14 Laporan",
                                kunci=child.kunci, pelaksana="teknis", cara_agregasi="rata_rata")
    # Taking over a changed parent target (no pelaksana given) keeps the office's choice.
    operations.simpan_indikator(db.session, batu, people("35.79").ketua, child.sasaran.kunci, LAPORAN, "15 Laporan",
                                kunci=child.kunci)
    db.session.commit()
    assert (child.pelaksana, child.cara_agregasi, child.target) == ("teknis", "rata_rata", "15 Laporan")
    assert indikator(jatim, LAPORAN).pelaksana == "perencanaan"


def test_both_are_signed_content_and_a_change_shows_in_the_comparison(db, tree, people):
    pk = buat_pk(db, tree, people)
    sekretaris = people("35.79").sekretaris
    before = canonical.isi(pk.revisi_aktif)
    assert all(set(i) == set(before["sasaran"][0]["indikator"][0]) for i in before["sasaran"][0]["indikator"])
    assert "pelaksana" not in before["sasaran"][0]["indikator"][0], "unset: the hash of older documents stays"
    tandatangani(db, pk, people)
    operations.setujui(db.session, pk, people("35").reviewer)
    operations.revisi(db.session, pk, sekretaris, AlasanRevisi.LAINNYA, "Pelaksana ditetapkan")
    i = indikator(pk, LAPORAN)
    operations.simpan_indikator(db.session, pk, sekretaris, i.sasaran.kunci, LAPORAN, "12 Laporan", kunci=i.kunci,
                                pelaksana="rendatin", cara_agregasi="rata_rata")
    db.session.commit()
    lama, baru = pk.revisi
    row = canonical.isi(baru)["sasaran"][0]["indikator"][1]
    assert (row["pelaksana"], row["agregasi"]) == ("rendatin", "rata_rata")
    assert canonical.hash_isi(baru) != canonical.hash_isi(lama)
    [ubah] = bandingkan(lama, baru).indikator
    assert (ubah.jenis, ubah.bagian, ubah.judul) == (JenisPerubahan.DIUBAH, Bagian.INDIKATOR, LAPORAN)
    assert [str(s) for s in ubah.sel] == [f"Pelaksana: - -> {RENDATIN}", "Cara agregasi: - -> Rata-rata"]
