"""The follow-ups' pages: an office's list ``/satker/<kode>/tindak-lanjut?tahun=`` (overdue
marked) and one follow-up ``/satker/<kode>/tindak-lanjut/<id>`` (the recommendation, its
owner and due date, the numbered reports with their evidence, the report form, the
evaluator's close / return buttons and owner / due date form, per policy), and its steps.
Loaded through the gate: another office's follow-up answers 404, exactly as a missing office."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants.db import db
from tenants.people import Membership, User
from tenants.satker import Satker
from workflow.bukti import queries as bukti_queries
from workflow.errors import IsiTidakValid, WorkflowError
from workflow.tindaklanjut import operations, policy, queries
from workflow.tindaklanjut.models import StatusTindakLanjut, TindakLanjut
from workflow.tindaklanjut.operations import Tautan
from webapp.common import saving
from webapp.gate import gated, visible_satker_or_404

bp = Blueprint("tindak_lanjut", __name__)
BASE = "/satker/<kode>/tindak-lanjut"


def _satker_or_404(kode: str) -> Satker:
    return visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))


def _tl_or_404(satker: Satker, tl_id: int, lock: bool = False) -> TindakLanjut:
    tl = queries.satu(db.session, satker.id, tl_id, lock=lock) if 1 <= tl_id <= operations.MAKS_ID else None
    if tl is None:
        abort(404)
    return tl


@bp.get(BASE)
@gated
def daftar(kode: str):
    satker = _satker_or_404(kode)
    tahun = request.args.get("tahun", type=int)
    if tahun is not None and not 2000 <= tahun <= 2100:
        abort(404)
    return render_template("tindak_lanjut/daftar.html", satker=satker, tahun=tahun,
                           tahun_pilihan=queries.tahun_ada(db.session, satker.id),
                           baris=queries.daftar(db.session, satker.id, tahun), hari_ini=date.today())


def _anggota(satker: Satker) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.satker_id == satker.id, User.active.is_(True)).distinct().order_by(User.full_name)))


def _halaman(satker: Satker, tl: TindakLanjut, error: WorkflowError | None = None, status: int = 200):
    user = current_user
    boleh_lapor = tl.status is StatusTindakLanjut.TERBUKA and bool(policy.laporkan(user, tl))
    boleh_ubah = tl.status is not StatusTindakLanjut.SELESAI and bool(policy.evaluator(user, tl))
    bukti = bukti_queries.daftar_satker(db.session, satker.id, tl.tahun + 1, None) if boleh_lapor else []
    nama_bukti = queries.bukti_tautan(db.session, tl)
    return render_template(
        "tindak_lanjut/lihat.html", satker=satker, tl=tl, error=error, isian=request.form if error else {},
        boleh_lapor=boleh_lapor, boleh_ubah=boleh_ubah, bukti=bukti, nama_bukti=nama_bukti,
        bukti_dipilih=request.form.getlist("bukti") if error else [],
        anggota=_anggota(satker) if boleh_ubah else [], tombol=operations.tombol(tl, user),
        riwayat=queries.riwayat(db.session, tl), hari_ini=date.today()), status


@bp.get(BASE + "/<int:tl_id>")
@gated
def lihat(kode: str, tl_id: int):
    satker = _satker_or_404(kode)
    return _halaman(satker, _tl_or_404(satker, tl_id))


def _jalankan(kode: str, tl_id: int, action, pesan: str):
    satker = _satker_or_404(kode)
    tl = _tl_or_404(satker, tl_id, lock=True)
    try:
        with saving():
            action(tl)
    except WorkflowError as exc:
        return _halaman(satker, _tl_or_404(satker, tl_id), exc, exc.status)
    flash(pesan, "success")
    return redirect(url_for("tindak_lanjut.lihat", kode=kode, tl_id=tl_id))


def _versi() -> int | None:
    return request.form.get("versi", type=int)


@bp.post(BASE + "/<int:tl_id>/laporkan")
@gated
def laporkan(kode: str, tl_id: int):
    f = request.form
    tautan = Tautan(tuple(int(b) for b in f.getlist("bukti") if b.isascii() and b.isdigit()),
                    tuple(f.get("kode", "").replace(",", " ").split()))
    return _jalankan(kode, tl_id, lambda tl: operations.transisi(
        db.session, tl, "laporkan", current_user, versi=_versi(), uraian=f.get("uraian", ""), tautan=tautan),
        _("Perkembangan tindak lanjut dilaporkan."))


@bp.post(BASE + "/<int:tl_id>/selesaikan")
@gated
def selesaikan(kode: str, tl_id: int):
    return _jalankan(kode, tl_id, lambda tl: operations.transisi(db.session, tl, "selesaikan", current_user,
                                                                 versi=_versi()),
                     _("Tindak lanjut dinyatakan selesai."))


@bp.post(BASE + "/<int:tl_id>/kembalikan")
@gated
def kembalikan(kode: str, tl_id: int):
    return _jalankan(kode, tl_id, lambda tl: operations.transisi(
        db.session, tl, "kembalikan", current_user, versi=_versi(), alasan=request.form.get("alasan", "")),
        _("Laporan tindak lanjut dikembalikan."))


def _tanggal(teks: str | None) -> date | None:
    try:
        return date.fromisoformat((teks or "").strip())
    except ValueError:
        raise IsiTidakValid(_("Tenggat harus tanggal (tttt-bb-hh).")) from None


@bp.post(BASE + "/<int:tl_id>/ubah")
@gated
def ubah(kode: str, tl_id: int):
    f = request.form
    return _jalankan(kode, tl_id, lambda tl: operations.ubah(
        db.session, tl, current_user, pemilik_id=f.get("pemilik", type=int), tenggat=_tanggal(f.get("tenggat")),
        versi=_versi()), _("Penanggung jawab dan tenggat disimpan."))
