"""The yearly evaluation's pages: ``/satker/<kode>/evaluasi/<tahun>`` (the worksheet with
answers, grades, scores, predikat, state, findings, history, buttons per policy), a form
per sub-component (the office's answers, the evaluator's verdicts and grade), the steps,
and the evaluator's list ``/evaluasi?tahun=``. Loaded through the gate: another office's
evaluation answers 404, exactly as a missing office."""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants.db import db
from tenants.satker import Satker
from workflow.bukti import queries as bukti_queries
from workflow.errors import WorkflowError
from workflow.evaluasi import lke, operations, policy, queries
from workflow.evaluasi.models import StatusEvaluasi
from workflow.evaluasi.operations import IsianKriteria, PenilaianKriteria, PenilaianSub
from workflow.evaluasi.skor import Nilai
from webapp.common import saving
from webapp.gate import gated, visible_satker_or_404

bp = Blueprint("evaluasi", __name__)
BASE = "/satker/<kode>/evaluasi/<int:tahun>"
_ID = re.compile(r"[0-9]{1,9}")


def _satker_or_404(kode: str, tahun: int) -> Satker:
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    if not 2000 <= tahun <= 2100:
        abort(404)
    return satker


def _lembar_berlaku() -> lke.LkeVersi:
    found = lke.versi_terkini(db.session)
    if found is None:  # first use: the bundled worksheet, kept (not reloaded on every page)
        with saving():
            found = lke.versi_berlaku(db.session)
    return found


def _konteks(satker: Satker, tahun: int) -> dict:
    ev = queries.evaluasi(db.session, satker.id, tahun)
    lembar = ev.lke if ev else _lembar_berlaku()
    user = current_user
    return dict(
        satker=satker, tahun=tahun, ev=ev, lembar=lembar, status=ev.status if ev else StatusEvaluasi.DRAF,
        hasil=queries.hasil(db.session, ev, lembar) if ev else None,
        boleh_isi=bool(policy.isi(user, satker)), boleh_nilai=bool(policy.evaluator(user, satker)),
        boleh_sanggah=bool(policy.sanggah(user, satker)), ada_evaluator=policy.ada_evaluator(satker),
        tombol=operations.tombol(satker, ev, user))


def _lembar(satker: Satker, tahun: int, error: WorkflowError | None = None, status: int = 200):
    konteks = _konteks(satker, tahun)
    return render_template("evaluasi/lembar.html", error=error, isian=request.form if error else {},
                           riwayat=queries.riwayat(db.session, satker, tahun), **konteks), status


@bp.get(BASE)
@gated
def lembar(kode: str, tahun: int):
    return _lembar(_satker_or_404(kode, tahun), tahun)


def _sub_page(satker: Satker, tahun: int, sub_kode: str, error: WorkflowError | None = None, status: int = 200):
    konteks = _konteks(satker, tahun)
    sub = konteks["lembar"].sub(sub_kode)
    if sub is None:
        abort(404)
    ev = konteks["ev"]
    h = next((x for x in konteks["hasil"].sub if x.sub.kode == sub_kode), None) if konteks["hasil"] else None
    return render_template(
        "evaluasi/sub.html", sub=sub, h=h, jawaban=queries.jawaban(db.session, ev),
        nilai=queries.nilai(db.session, ev).get(sub_kode), error=error, isian=request.form if error else {},
        bukti=bukti_queries.daftar_satker(db.session, satker.id, tahun, None) if konteks["boleh_isi"] else [],
        pilihan_nilai=list(Nilai), **konteks), status


@bp.get(BASE + "/<sub>")
@gated
def sub(kode: str, tahun: int, sub: str):
    return _sub_page(_satker_or_404(kode, tahun), tahun, sub)


def _jalankan(kode: str, tahun: int, action, pesan: str, sub_kode: str | None = None):
    satker = _satker_or_404(kode, tahun)
    try:
        with saving():
            action(satker)
    except WorkflowError as exc:
        if sub_kode is not None:
            return _sub_page(satker, tahun, sub_kode, exc, exc.status)
        return _lembar(satker, tahun, exc, exc.status)
    flash(pesan, "success")
    if sub_kode is not None:
        return redirect(url_for("evaluasi.sub", kode=kode, tahun=tahun, sub=sub_kode))
    return redirect(url_for("evaluasi.lembar", kode=kode, tahun=tahun))


def _versi(name: str) -> int | None:
    return request.form.get(name, type=int)


def _id(text: str) -> int:
    """An id a form sends; 0 (no row has it) for anything else ("²", a 5 000-digit number),
    so the operation answers that the choice is not found instead of failing."""
    return int(text) if _ID.fullmatch(text) else 0


def _kode_kriteria(prefix: str) -> list[str]:
    return [k.removeprefix(prefix) for k in request.form if k.startswith(prefix)]


@bp.post(BASE + "/<sub>/jawab")
@gated
def jawab(kode: str, tahun: int, sub: str):
    def action(satker):
        f = request.form
        isian = {k: IsianKriteria(f.get(f"jawaban-{k}") or None, f.get(f"catatan-{k}", ""),
                                  tuple(_id(b) for b in f.getlist(f"bukti-{k}") if b.strip()),
                                  tuple(f.get(f"kode-{k}", "").replace(",", " ").split()), _versi(f"versi-{k}"))
                 for k in _kode_kriteria("tampil-")}
        operations.simpan_jawaban(db.session, satker, tahun, current_user, isian)
    return _jalankan(kode, tahun, action, _("Penilaian mandiri disimpan."), sub)


def _setuju(value: str | None) -> bool | None:
    return {"ya": True, "tidak": False}.get(value or "")


@bp.post(BASE + "/<sub>/nilai")
@gated
def nilai(kode: str, tahun: int, sub: str):
    def action(satker):
        f = request.form
        kriteria = {k: PenilaianKriteria(_setuju(f.get(f"setuju-{k}")), f.get(f"komentar-{k}", ""),
                                         f.get(f"perlu-{k}") == "1", f.get(f"alasan-kembali-{k}", ""),
                                         _versi(f"versi-{k}"))
                    for k in _kode_kriteria("tampil-")}
        operations.simpan_penilaian(db.session, satker, tahun, current_user, sub, PenilaianSub(
            kriteria, f.get("nilai") or None, f.get("alasan_nilai", ""), _versi("versi_nilai")))
    return _jalankan(kode, tahun, action, _("Penilaian evaluator disimpan."), sub)


@bp.post(BASE + "/temuan")
@gated
def temuan(kode: str, tahun: int):
    return _jalankan(kode, tahun, lambda s: operations.tulis_temuan(
        db.session, s, tahun, current_user, request.form.get("uraian", ""), request.form.get("rekomendasi", ""),
        request.form.get("subkomponen") or None), _("Temuan ditambahkan."))


def _per_temuan(prefix: str) -> dict[int, str]:
    return {int(k.removeprefix(prefix)): v for k, v in request.form.items()
            if k.startswith(prefix) and _ID.fullmatch(k.removeprefix(prefix)) and v.strip()}


@bp.post(BASE + "/sanggah")
@gated
def sanggah(kode: str, tahun: int):
    return _jalankan(kode, tahun, lambda s: operations.sanggah(
        db.session, s, tahun, current_user, _per_temuan("sanggahan-"), versi=_versi("versi")),
        _("Sanggahan diajukan."))


@bp.post(BASE + "/tanggapan")
@gated
def tanggapan(kode: str, tahun: int):
    isian = {n: (teks, request.form.get(f"diterima-{n}") == "1") for n, teks in _per_temuan("tanggapan-").items()}
    return _jalankan(kode, tahun, lambda s: operations.tanggapi(
        db.session, s, tahun, current_user, isian, versi=_versi("versi")), _("Tanggapan atas sanggahan disimpan."))


def _pesan(event: str) -> str:
    return {"ajukan": _("Penilaian mandiri diajukan."), "kembalikan": _("Evaluasi dikembalikan untuk bukti tambahan."),
            "terbitkan": _("Hasil sementara diterbitkan."), "finalkan": _("Evaluasi difinalkan.")}[event]


def _langkah(event: str):
    def view(kode: str, tahun: int):
        kwargs = {"alasan": request.form.get("alasan", "")} if event == "kembalikan" else {}
        return _jalankan(kode, tahun, lambda s: operations.transisi(
            db.session, s, tahun, event, current_user, versi=_versi("versi"), **kwargs), _pesan(event))
    view.__name__ = event
    return gated(view)


for _event in ("ajukan", "kembalikan", "terbitkan", "finalkan"):
    bp.add_url_rule(f"{BASE}/{_event}", _event, _langkah(_event), methods=["POST"])


@bp.get("/evaluasi")
@gated
def daftar():
    tahun = request.args.get("tahun", type=int) or queries.tahun_bawaan(db.session)
    if not 2000 <= tahun <= 2100:
        abort(404)
    return render_template("evaluasi/daftar.html", tahun=tahun, baris=queries.daftar_evaluator(db.session, current_user, tahun),
                           tahun_pilihan=list(range(date.today().year, date.today().year - 5, -1)))
