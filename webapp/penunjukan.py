"""An office's acting officials (Plh, Plt): the list, appointing, ending early.

The page follows the office's visibility (``visible_satker_or_404``: another office's
page answers like a missing office); the writes ask ``workflow.penunjukan.operations``,
which lets an admin of the office or above act. An appointment is named by its id in the
form and looked up within the office of the URL, so another office's id is a 404 too."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants import penunjukan as acting
from tenants.db import db
from tenants.penunjukan import JenisPenunjukan, Penunjukan
from tenants.people import Membership, Peran, User
from tenants.satker import Satker
from webapp.common import saving
from webapp.gate import gated, visible_satker_or_404
from workflow.errors import IsiTidakValid, WorkflowError
from workflow.penunjukan import operations

bp = Blueprint("penunjukan", __name__)
FIELDS = ("user", "jenis", "peran", "mulai", "sampai", "nomor_surat")


def _id(value: str | None) -> int | None:
    """An id typed in a form, None when it is not one (an integer column holds 9 digits safely)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def _satker(kode: str) -> Satker:
    return visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))


def _anggota(satker: Satker) -> list[User]:
    """The office's members, the people who may be appointed."""
    return list(db.session.scalars(
        select(User).where(User.id.in_(select(Membership.user_id).where(Membership.satker_id == satker.id)),
                           User.active).order_by(User.full_name)))


def _halaman(satker: Satker, *, error: WorkflowError | None = None, form: dict | None = None, status: int = 200):
    today = acting.hari_ini()
    rows = list(db.session.scalars(acting.daftar(satker.id, today)))
    return render_template(
        "penunjukan/daftar.html", satker=satker, rows=rows, today=today, error=error,
        form=form or {}, boleh=operations.boleh_menunjuk(current_user, satker), anggota=_anggota(satker),
        posisi=acting.POSISI, jenis_list=list(JenisPenunjukan),
    ), status


@bp.get("/satker/<kode>/penunjukan")
@gated
def daftar(kode: str):
    return _halaman(_satker(kode))


def _tanggal(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise IsiTidakValid(_("%(label)s tidak dapat dibaca: isi tanggal seperti 2024-01-31.", label=label)) from None


def _baca(satker: Satker, form: dict) -> dict:
    """The form's values as the operation takes them, or the reason one cannot be read."""
    pelaksana = db.session.scalar(select(User).where(
        User.id == _id(form.get("user")),
        User.id.in_(select(Membership.user_id).where(Membership.satker_id == satker.id))))
    if pelaksana is None:  # only the office's members are looked up: no name of another office leaks
        raise IsiTidakValid(_("Pilih pegawai dari daftar anggota %(satker)s: hanya anggota satker itu yang dapat "
                              "ditunjuk.", satker=satker.nama))
    try:
        jenis, peran = JenisPenunjukan(form.get("jenis", "")), Peran(form.get("peran", ""))
    except ValueError:
        raise IsiTidakValid(_("Pilih jenis (Plh atau Plt) dan jabatan (Ketua atau Sekretaris).")) from None
    return dict(pelaksana=pelaksana, jenis=jenis, peran=peran,
                mulai=_tanggal(form.get("mulai", ""), _("Tanggal mulai")),
                sampai=_tanggal(form.get("sampai", ""), _("Tanggal selesai")),
                nomor_surat=form.get("nomor_surat", ""))


@bp.post("/satker/<kode>/penunjukan")
@gated
def tunjuk(kode: str):
    satker = _satker(kode)
    form = {k: request.form.get(k, "") for k in FIELDS}
    try:
        operations.wajib_admin(current_user, satker)  # a refusal before the form is read
        with saving():
            p = operations.tunjuk(db.session, current_user, satker, **_baca(satker, form))
    except WorkflowError as exc:
        db.session.rollback()
        return _halaman(satker, error=exc, form=form, status=exc.status)
    flash(_("%(nama)s ditunjuk sebagai %(jabatan)s.", nama=p.user.full_name, jabatan=p.jabatan), "success")
    return redirect(url_for(".daftar", kode=kode))


@bp.post("/satker/<kode>/penunjukan/akhiri")
@gated
def akhiri(kode: str):
    satker = _satker(kode)
    try:
        operations.wajib_admin(current_user, satker)  # a refusal before the form is read
        if (penunjukan_id := _id(request.form.get("penunjukan"))) is None:
            raise IsiTidakValid(_("Pilih penunjukan yang akan diakhiri."))
        p = db.session.scalar(select(Penunjukan).where(Penunjukan.id == penunjukan_id,
                                                       Penunjukan.satker_id == satker.id))
        if p is None:
            abort(404)
        nama, jabatan = p.user.full_name, p.jabatan
        with saving():
            ended = operations.akhiri(db.session, current_user, p)
    except WorkflowError as exc:
        db.session.rollback()
        return _halaman(satker, error=exc, status=exc.status)
    if ended is None:
        flash(_("Penunjukan %(nama)s sebagai %(jabatan)s dihapus.", nama=nama, jabatan=jabatan), "success")
    else:
        flash(_("Penunjukan %(nama)s sebagai %(jabatan)s diakhiri.", nama=nama, jabatan=jabatan), "success")
    return redirect(url_for(".daftar", kode=kode))
