"""The yearly evaluation of one office: the self-assessment, the evaluator's scoring, a
return for more evidence, one dispute, finalisation with hash and verification code,
immutability, two evaluators at once, and who may do what (refusals with reasons, 404s)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from tests.conftest import csrf_token_from
from workflow.errors import Ditolak, IsiTerkunci, IsiTidakValid, Konflik
from workflow.evaluasi import operations, queries
from workflow.evaluasi.models import Evaluasi, Jawaban, StatusEvaluasi
from workflow.evaluasi.operations import IsianKriteria, PenilaianKriteria, PenilaianSub

TAHUN = 2024


def _isi_semua(db, satker, user, tidak=frozenset()):
    ev = operations.buka(db.session, satker, TAHUN, user)
    isian = {k.kode: IsianKriteria("T" if k.kode in tidak else "Y", f"catatan {k.kode}") for k in ev.lke.kriteria}
    return operations.simpan_jawaban(db.session, satker, TAHUN, user, isian)


def _nilai_semua(db, satker, user, nilai=None):
    ev = queries.evaluasi(db.session, satker.id, TAHUN)
    rows = queries.jawaban(db.session, ev)
    for s in ev.lke.subkomponen:
        h = next(x for x in queries.hasil(db.session, ev).sub if x.sub.kode == s.kode)
        grade = (nilai or {}).get(s.kode, None)
        kriteria = {k.kode: PenilaianKriteria(True, versi=rows[k.kode].versi) for k in s.kriteria}
        g = grade[0] if grade else h.usulan.value
        row = queries.nilai(db.session, ev).get(s.kode)
        operations.simpan_penilaian(db.session, satker, TAHUN, user, s.kode, PenilaianSub(
            kriteria, g, grade[1] if grade else "", row.versi if row else None))
    return ev


def test_the_whole_flow_return_dispute_once_and_finalise(db, tree, people, client, login):
    batu, sek, ketua, insp = tree["35.79"], people("35.79").sekretaris, people("35.79").ketua, people("RI").inspektorat
    _isi_semua(db, batu, sek, tidak={"1.c.8"})
    operations.transisi(db.session, batu, TAHUN, "ajukan", sek)
    ev = queries.evaluasi(db.session, batu.id, TAHUN)
    assert ev.status is StatusEvaluasi.DIAJUKAN
    # the evaluator returns one criterion for more evidence
    rows = queries.jawaban(db.session, ev)
    with pytest.raises(IsiTidakValid, match="Tandai dulu"):
        operations.transisi(db.session, batu, TAHUN, "kembalikan", insp, alasan="kurang bukti")
    operations.simpan_penilaian(db.session, batu, TAHUN, insp, "1.a", PenilaianSub(
        {"1.a.1": PenilaianKriteria(None, perlu_bukti=True, alasan_kembali="Lampirkan pedoman", versi=rows["1.a.1"].versi)}))
    operations.transisi(db.session, batu, TAHUN, "kembalikan", insp, alasan="Bukti 1.a.1 kurang")
    assert ev.status is StatusEvaluasi.DIKEMBALIKAN and ev.catatan == "Bukti 1.a.1 kurang"
    # the office may change only the returned criterion
    with pytest.raises(Ditolak, match="tidak dikembalikan"):
        operations.simpan_jawaban(db.session, batu, TAHUN, sek, {"1.a.2": IsianKriteria("T", versi=rows["1.a.2"].versi)})
    operations.simpan_jawaban(db.session, batu, TAHUN, sek, {"1.a.1": IsianKriteria("Y", "Pedoman terlampir",
                                                                                    versi=rows["1.a.1"].versi)})
    operations.transisi(db.session, batu, TAHUN, "ajukan", sek)
    assert not rows["1.a.1"].perlu_bukti and rows["1.a.1"].setuju is None
    # scoring: 1.c 7 of 8 -> B -> 10,5; 1.a A (with a reason) -> 5,4
    with pytest.raises(IsiTidakValid, match="belum lengkap"):
        operations.transisi(db.session, batu, TAHUN, "terbitkan", insp)
    _nilai_semua(db, batu, insp, {"1.a": ("A", "Pedoman dipakai sejak 2019")})
    h = {x.sub.kode: x for x in queries.hasil(db.session, ev).sub}
    assert (h["1.c"].usulan.value, h["1.c"].skor) == ("B", Decimal("10.5"))
    assert h["1.a"].skor == Decimal("5.4")
    operations.tulis_temuan(db.session, batu, TAHUN, insp, "Renstra dan RAK belum selaras", "Selaraskan RAK", "1.b")
    operations.transisi(db.session, batu, TAHUN, "terbitkan", insp)
    # one dispute, with a reason per finding; a second is refused
    operations.sanggah(db.session, batu, TAHUN, ketua, {1: "RAK sudah direviu Maret"})
    assert ev.status is StatusEvaluasi.DISANGGAH
    with pytest.raises(IsiTidakValid) as refused:
        operations.transisi(db.session, batu, TAHUN, "finalkan", insp)
    assert refused.value.masalah == ["Sanggahan atas temuan 1 belum ditanggapi."]
    operations.tanggapi(db.session, batu, TAHUN, insp, {1: ("Reviu belum memuat RAK", False)})
    operations.transisi(db.session, batu, TAHUN, "terbitkan", insp)
    with pytest.raises(Ditolak, match="hanya dapat diajukan sekali"):
        operations.sanggah(db.session, batu, TAHUN, ketua, {1: "lagi"})
    operations.transisi(db.session, batu, TAHUN, "finalkan", insp)
    db.session.commit()
    total = queries.hasil(db.session, ev).total
    assert ev.final and ev.skor_total == total and ev.predikat == "BB" and len(ev.hash_isi) == 64
    assert [e.aksi for e in queries.riwayat(db.session, batu, TAHUN)][-1] == "evaluasi_finalkan"
    # the public verification page knows the code
    page = client.get(f"/verifikasi/{ev.kode_verifikasi.lower().replace('-', '')}", follow_redirects=True)
    assert page.status_code == 200 and "masih sama dengan yang difinalkan" in page.text
    assert "KPU Kota Batu" in page.text and ev.hash_isi in page.text and ">BB<" in page.text
    # final: nothing changes, by any path of the application
    with pytest.raises(IsiTerkunci):
        rows["1.a.2"].catatan = "diubah"
        db.session.flush()
    db.session.rollback()
    with pytest.raises(IsiTerkunci):
        db.session.execute(update(Jawaban).where(Jawaban.evaluasi_id == ev.id).values(catatan="x"))
    db.session.rollback()
    with pytest.raises(Ditolak, match="tidak dapat diubah"):
        operations.simpan_jawaban(db.session, batu, TAHUN, sek, {"1.a.2": IsianKriteria("T", versi=rows["1.a.2"].versi)})


def test_scores_shown_on_the_worksheet_page_and_the_evaluators_list(db, tree, people, client, login, app):
    batu, sek, insp = tree["35.79"], people("35.79").sekretaris, people("RI").inspektorat
    _isi_semua(db, batu, sek, tidak={"1.c.8"})
    operations.transisi(db.session, batu, TAHUN, "ajukan", sek)
    db.session.commit()
    login(insp)
    page = client.get(f"/satker/35.79/evaluasi/{TAHUN}")
    shown = " ".join(re.sub(r"<[^>]+>", "", page.text).split())  # the percentage is a span of its own
    assert page.status_code == 200 and "7/8 (87,5%)" in shown and 'data-testid="tombol-terbitkan"' in page.text
    assert 'data-testid="nav-evaluasi"' in page.text
    # the list opens on the latest year evaluated; the office's page links to its evaluation
    assert f"<option value=\"{TAHUN}\" selected" in client.get("/evaluasi").text.replace("selected=\"selected\"", "selected")
    office = client.get("/satker/35.79").text
    assert f'href="/satker/35.79/evaluasi/{TAHUN}" data-testid="evaluasi-link"' in office
    listing = client.get(f"/evaluasi?tahun={TAHUN}")
    assert 'data-testid="evaluasi-35.79"' in listing.text and 'data-testid="evaluasi-51.71"' in listing.text
    form = client.get(f"/satker/35.79/evaluasi/{TAHUN}/1.c")
    assert form.status_code == 200 and 'name="setuju-1.c.8"' in form.text
    ev = queries.evaluasi(db.session, batu.id, TAHUN)
    rows = queries.jawaban(db.session, ev)
    data = {"csrf_token": csrf_token_from(form.text), "nilai": "B", "alasan_nilai": "", "versi_nilai": ""}
    for k in ev.lke.sub("1.c").kriteria:
        data |= {f"tampil-{k.kode}": "1", f"versi-{k.kode}": str(rows[k.kode].versi), f"setuju-{k.kode}": "ya"}
    response = client.post(f"/satker/35.79/evaluasi/{TAHUN}/1.c/nilai", data=data)
    assert response.status_code == 302, response.text
    page = client.get(f"/satker/35.79/evaluasi/{TAHUN}")
    assert "10,5" in page.text
    with app.test_client() as other:
        login(sek, c=other)
        assert 'data-testid="nav-evaluasi"' not in other.get("/satker/35.79").text


def test_two_evaluators_scoring_at_once_lose_nothing_and_a_real_conflict_is_409(db, tree, people, client, login, app):
    batu, sek = tree["35.79"], people("35.79").sekretaris
    a, b = people("RI").inspektorat, people("35").inspektorat
    _isi_semua(db, batu, sek)
    operations.transisi(db.session, batu, TAHUN, "ajukan", sek)
    db.session.commit()
    ca, cb = app.test_client(), app.test_client()
    login(a, c=ca)
    login(b, c=cb)
    ev = queries.evaluasi(db.session, batu.id, TAHUN)
    forms = {}
    for c, sub in ((ca, "1.a"), (cb, "2.a"), (cb, "1.a")):
        forms[(id(c), sub)] = c.get(f"/satker/35.79/evaluasi/{TAHUN}/{sub}").text

    def kirim(c, sub, setuju):
        page = forms[(id(c), sub)]
        rows = queries.jawaban(db.session, ev)
        data = {"csrf_token": csrf_token_from(page), "nilai": "", "versi_nilai": ""}
        for k in ev.lke.sub(sub).kriteria:
            versi = page.split(f'name="versi-{k.kode}" value="')[1].split('"')[0]
            data |= {f"tampil-{k.kode}": "1", f"versi-{k.kode}": versi, f"setuju-{k.kode}": setuju,
                     f"komentar-{k.kode}": "" if setuju == "ya" else "Bukti tidak sesuai"}
        assert rows  # the rows exist: both forms showed their versions
        return c.post(f"/satker/35.79/evaluasi/{TAHUN}/{sub}/nilai", data=data)

    assert kirim(ca, "1.a", "ya").status_code == 302
    assert kirim(cb, "2.a", "ya").status_code == 302  # another sub-component at the same time: kept
    conflict = kirim(cb, "1.a", "tidak")  # the same criteria, from a page shown before a's save
    assert conflict.status_code == 409 and "baru saja diubah orang lain" in conflict.text
    db.session.expire_all()
    rows = queries.jawaban(db.session, ev)
    assert all(rows[k.kode].setuju is True for k in ev.lke.sub("1.a").kriteria)
    assert all(rows[k.kode].setuju is True for k in ev.lke.sub("2.a").kriteria)


def test_who_may_do_what_refusals_say_why_and_others_get_a_404(db, tree, people, client, login):
    batu, sek = tree["35.79"], people("35.79").sekretaris
    subbag, insp_sendiri, reviewer = people("35.79").subbag_kul, people("35.79").inspektorat, people("35").reviewer
    with pytest.raises(Ditolak, match="Hanya Sekretaris"):
        operations.buka(db.session, batu, TAHUN, subbag)
    _isi_semua(db, batu, sek)
    operations.transisi(db.session, batu, TAHUN, "ajukan", sek)
    for user in (insp_sendiri, reviewer, sek):
        with pytest.raises(Ditolak, match="Hanya Inspektorat di satker atas"):
            operations.transisi(db.session, batu, TAHUN, "terbitkan", user)
    db.session.commit()
    login(people("35.73").sekretaris)  # a sibling office
    for url in (f"/satker/35.79/evaluasi/{TAHUN}", f"/satker/35.79/evaluasi/{TAHUN}/1.a"):
        assert client.get(url).status_code == 404
        assert client.get(url.replace("35.79", "99.99")).status_code == 404
    page = client.get(f"/satker/35.73/evaluasi/{TAHUN}")
    assert page.status_code == 200 and "Belum dimulai" in page.text
    assert client.get(f"/satker/35.73/evaluasi/{TAHUN}/9.z").status_code == 404


def test_the_database_refuses_a_state_its_fields_contradict(db, tree, people):
    batu, sek = tree["35.79"], people("35.79").sekretaris
    ev = _isi_semua(db, batu, sek)
    db.session.commit()
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        db.session.connection().execute(Evaluasi.__table__.update().where(Evaluasi.id == ev.id).values(status="final"))
    db.session.rollback()
