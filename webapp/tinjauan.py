"""Reviewing at scale (issue 16, point 6): approving several signed documents at once from
the inbox, and the search of the navigation bar. The inbox itself, with its filters and
its compare links, is ``documents.inbox``."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants import otp
from tenants.db import db
from workflow.dokumen import policy
from workflow.dokumen.models import Dokumen, Status
from workflow.errors import WorkflowError
from workflow.tinjauan import operations, pencarian
from workflow.tinjauan.operations import MAKS_DOKUMEN
from webapp.auth import fresh_code_problem
from webapp.common import kode_baku, saving
from webapp.gate import gated

bp = Blueprint("tinjauan", __name__)

MAX_ALASAN = 2000


# -- approving several documents at once -------------------------------------------------

def _pilihan() -> list[tuple[int, int | None]]:
    """The ticked ids (each once, in the inbox's order) with the version each row was shown at."""
    seen: dict[int, int | None] = {}
    for value in request.form.getlist("dokumen"):
        if value.isascii() and value.isdigit() and len(value) <= 10 and int(value) not in seen:
            versi = request.form.get(f"versi-{int(value)}", "")
            seen[int(value)] = int(versi) if versi.isascii() and versi.isdigit() and len(versi) <= 9 else None
    return list(seen.items())


def _ulangi(pilihan: list[tuple[int, int | None]], alasan: str, error: str, status: int):
    """The choice offered again with the reason it did not go: nothing typed is lost."""
    ids = [dokumen_id for dokumen_id, _versi in pilihan][:MAKS_DOKUMEN]
    dokumen = list(db.session.scalars(select(Dokumen).where(
        Dokumen.id.in_(ids), policy.terlihat(current_user), Dokumen.status == Status.SIGNED).order_by(Dokumen.id)))
    return render_template("tinjauan/hasil.html", hasil=None, error=error, ulang=dokumen, alasan=alasan,
                           versi=dict(pilihan), wajib_kode=otp.enrolled(current_user)), status


@bp.post("/tinjauan/setujui")
@gated
def setujui():
    pilihan = _pilihan()
    alasan = (request.form.get("alasan") or "").strip()[:MAX_ALASAN]
    if not pilihan:
        return _ulangi(pilihan, alasan, _("Belum ada dokumen yang dipilih: centang dokumen yang akan disetujui."), 422)
    if len(pilihan) > MAKS_DOKUMEN:
        return _ulangi(pilihan, alasan, _("Paling banyak %(n)s dokumen sekali setuju.", n=MAKS_DOKUMEN), 422)
    # One code for the whole batch, checked once and used up with it (tenants.otp's replay rule).
    if masalah := fresh_code_problem(current_user._get_current_object(), "setujui-massal", _(
            "Kode autentikator salah atau sudah dipakai. Masukkan kode yang sedang tampil di aplikasi "
            "autentikator, lalu setujui lagi.")):
        return _ulangi(pilihan, alasan, masalah, 403)
    try:
        with saving():
            hasil = operations.setujui_banyak(db.session, current_user, pilihan, alasan or None)
            if not hasil.disetujui:
                # Nothing approved: nothing kept, the code included, as for a refused signature.
                db.session.rollback()
    except WorkflowError as exc:
        return _ulangi(pilihan, alasan, exc.message, exc.status)
    return render_template("tinjauan/hasil.html", hasil=hasil, error=None), _status(hasil)


def _status(hasil: operations.HasilMassal) -> int:
    if hasil.disetujui:
        return 200
    # A batch of only missing or out-of-reach ids answers as a missing document does.
    return 404 if all(d.dokumen is None for d in hasil.ditolak) else 403


# -- search from the navigation bar -------------------------------------------------------

@bp.get("/cari")
@gated
def cari():
    q = (request.args.get("q") or "").strip()[:pencarian.MAKS_PANJANG]
    halaman = request.args.get("halaman", type=int) or 1
    halaman = min(max(halaman, 1), 1000)
    if len("".join(c for c in q if c.isalnum())) == 8:  # typed like a verification code
        revisi = pencarian.dengan_kode(db.session, current_user, kode_baku(q))
        if revisi is not None:
            return redirect(url_for("documents.lihat_revisi", dokumen_id=revisi.dokumen_id, nomor=revisi.nomor))
    hasil = pencarian.cari(db.session, current_user, q, halaman) if q else pencarian.Hasil()
    return render_template("tinjauan/cari.html", q=q, hasil=hasil, halaman=halaman)
