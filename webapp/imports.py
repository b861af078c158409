"""Import into the current draft: upload an .xlsx or paste a table, see the dry run, apply.

``GET/POST /dokumen/<id>/impor``: the form (file and text box); posting it shows the dry
run (workflow.imports.pratinjau) and stores what was sent under a random token in the
database, table ``impor_tertunda`` (the content, the document version and a digest of the
listing shown; keyed by the token's SHA-256, so the table alone cannot apply anything).
``POST /dokumen/<id>/impor/terapkan`` re-reads that content, and applies only when the
document is still at the version shown and the plan reads exactly as shown; otherwise it
answers 409 and saves nothing. A token works once, for the user and browser session that
made it, for an hour. Being in the database, the dry run shown by one app server can be
applied through any other (README, "Produksi").

Who may import: whoever may edit the draft (workflow.policy: the penyusun, or in a RAK
a unit for its own rows; the plan lists a row the user may not touch as a problem).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, delete, or_
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import db
from tenants.teks import bahasa_asli
from webapp.documents import dokumen_or_404, saving
from webapp.gate import gated
from workflow import imports, policy
from workflow.document import Dokumen, JenisDokumen, utcnow
from workflow.errors import Ditolak, IsiTidakValid, Konflik, WorkflowError

bp = Blueprint("imports", __name__)

TTL = 3600  # seconds a dry run may be applied after it was shown
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_SESSION_KEY = "impor_token"


class _Error:
    """What the templates show in the red box (same shape as a WorkflowError)."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.masalah = [message]


class ImporTertunda(db.Model):
    """A dry run shown and not yet applied: what was sent, and what it was checked against."""

    __tablename__ = "impor_tertunda"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    dokumen_id: Mapped[int] = mapped_column(ForeignKey("dokumen.id", ondelete="CASCADE"), index=True)
    versi: Mapped[int] = mapped_column(Integer)
    jenis: Mapped[str] = mapped_column(String(8))  # xlsx or tempel
    nama: Mapped[str] = mapped_column(String(255))
    ke_draf: Mapped[bool] = mapped_column(Boolean)
    digest: Mapped[str] = mapped_column(String(64))
    isi: Mapped[bytes] = mapped_column(LargeBinary)
    dibuat: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _rencana_asli(dokumen: Dokumen, tabel, ke_draf: bool) -> imports.Rencana:
    """The dry run composed in Indonesian whatever the reader's language: the one that is
    fingerprinted and applied, so that switching language between the preview and Apply
    does not read as a changed draft (and what the history keeps is Indonesian)."""
    with bahasa_asli():
        return imports.rencana(db.session, dokumen, tabel, current_user, ke_draf=ke_draf)


def _dibaca_asli() -> bool:
    """The reader reads Indonesian: the dry run shown is already the one to fingerprint."""
    return get_locale().language == "id"


def _digest(plan: imports.Rencana) -> str:
    with bahasa_asli():
        return hashlib.sha256("\n".join(plan.teks()).encode()).hexdigest()


def _simpan(dokumen: Dokumen, jenis: str, nama: str, isi: bytes, ke_draf: bool, plan: imports.Rencana) -> str:
    """Keep what was sent (committed at once: the dry run itself changes nothing else)."""
    now = utcnow()
    # Forget dry runs older than TTL (and this session's previous one, which its token replaces).
    stale = ImporTertunda.dibuat < now - timedelta(seconds=TTL)
    if _TOKEN.match(session.get(_SESSION_KEY) or ""):
        stale = or_(stale, ImporTertunda.token_hash == _hash(session[_SESSION_KEY]))
    db.session.execute(delete(ImporTertunda).where(stale))
    token = secrets.token_urlsafe(24)
    db.session.add(ImporTertunda(token_hash=_hash(token), user_id=current_user.id, dokumen_id=dokumen.id,
                                 versi=dokumen.versi, jenis=jenis, nama=nama[:255], ke_draf=ke_draf,
                                 digest=_digest(plan), isi=isi, dibuat=now))
    db.session.commit()
    session[_SESSION_KEY] = token
    return token


def _muat(token: str, dokumen: Dokumen) -> tuple[dict, bytes] | None:
    if not _TOKEN.match(token or "") or session.get(_SESSION_KEY) != token:
        return None
    found = db.session.get(ImporTertunda, _hash(token))
    if found is None or found.user_id != current_user.id or found.dokumen_id != dokumen.id \
            or utcnow() - _aware(found.dibuat) > timedelta(seconds=TTL):
        return None
    meta = {"versi": found.versi, "jenis": found.jenis, "nama": found.nama, "ke_draf": found.ke_draf,
            "digest": found.digest}
    return meta, found.isi


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite keeps no zone


def _hapus(token: str, *, commit: bool = False) -> None:
    """Use the token up: committed at once for a refusal, with its changes for an applied import."""
    db.session.execute(delete(ImporTertunda).where(ImporTertunda.token_hash == _hash(token)))
    if commit:
        db.session.commit()
    if session.get(_SESSION_KEY) == token:
        session.pop(_SESSION_KEY)


def _baca(dokumen: Dokumen, jenis: str, nama: str, isi: bytes) -> imports.TabelImpor:
    if jenis == "xlsx":
        return imports.baca_berkas(isi, nama, dokumen.jenis)
    return imports.baca_teks(isi.decode("utf-8"), dokumen.jenis)


def _form(dokumen: Dokumen, error=None, status: int = 200, teks: str = "", ke_draf: bool = False):
    return render_template("imports/form.html", dokumen=dokumen, error=error, teks=teks, ke_draf=ke_draf,
                           max_mb=imports.MAX_BYTES // (1024 * 1024), max_baris=imports.MAX_BARIS), status


def _dokumen(dokumen_id: int, *, lock: bool = False) -> Dokumen:
    """The document to import into; an LKj has no table to import (its tables are computed)."""
    dokumen = dokumen_or_404(dokumen_id, lock=lock)
    if dokumen.jenis is JenisDokumen.LKJ:
        abort(404)
    return dokumen


def _boleh(dokumen: Dokumen) -> policy.Keputusan:
    # A RAK: the penyusun, or a unit for its own rows; PK and RKT: the penyusun.
    return policy.tambah_baris(current_user, dokumen)


@bp.route("/dokumen/<int:dokumen_id>/impor", methods=["GET", "POST"])
@gated
def impor(dokumen_id: int):
    dokumen = _dokumen(dokumen_id)
    decision = _boleh(dokumen)
    if not decision:
        return _form(dokumen, _Error(decision.alasan), 403)
    if request.method == "GET":
        return _form(dokumen)
    ke_draf = request.form.get("ke_draf") == "1"
    teks = request.form.get("teks") or ""
    upload = request.files.get("berkas")
    if upload is not None and upload.filename:
        isi = upload.stream.read(imports.MAX_BYTES + 1)
        jenis, nama = "xlsx", upload.filename
    elif teks.strip():
        isi, jenis, nama = teks.encode("utf-8"), "tempel", ""
    else:
        return _form(dokumen, _Error(_("Pilih berkas .xlsx atau tempel tabel di kotak teks.")), 422, teks, ke_draf)
    try:
        tabel = _baca(dokumen, jenis, nama, isi)
    except imports.BerkasDitolak as exc:
        return _form(dokumen, _Error(exc.message), 422, teks, ke_draf)
    plan = imports.rencana(db.session, dokumen, tabel, current_user, ke_draf=ke_draf)
    token = None
    if plan.bisa_diterapkan:
        asli = plan if _dibaca_asli() else _rencana_asli(dokumen, tabel, ke_draf)
        token = _simpan(dokumen, jenis, nama, isi, ke_draf, asli)
    return render_template("imports/pratinjau.html", dokumen=dokumen, plan=plan, token=token, nama=nama,
                           error=None), 200


@bp.post("/dokumen/<int:dokumen_id>/impor/terapkan")
@gated
def terapkan(dokumen_id: int):
    dokumen = _dokumen(dokumen_id, lock=True)
    decision = _boleh(dokumen)
    if not decision:
        return _form(dokumen, _Error(decision.alasan), 403)
    token = request.form.get("token") or ""
    found = _muat(token, dokumen)
    if found is None:
        return _form(dokumen, _Error(_("Pratinjau impor ini sudah tidak berlaku (sudah diterapkan, kedaluwarsa, atau "
                                       "dari sesi lain). Unggah berkasnya lagi.")), 409)
    meta, isi = found
    if meta["versi"] != dokumen.versi:
        _hapus(token, commit=True)
        return _form(dokumen, _Error(_("Dokumen ini telah diubah sejak pratinjau impor ditampilkan; tidak ada yang "
                                       "disimpan. Unggah berkasnya lagi untuk melihat perubahan terhadap isi "
                                       "terbaru.")), 409)
    try:
        tabel = _baca(dokumen, meta["jenis"], meta["nama"], isi)
    except imports.BerkasDitolak as exc:  # pragma: no cover - it was read once already
        return _form(dokumen, _Error(exc.message), 422)
    plan = _rencana_asli(dokumen, tabel, meta["ke_draf"])
    if _digest(plan) != meta["digest"]:
        _hapus(token, commit=True)
        return _form(dokumen, _Error(_("Isi draf berubah sejak pratinjau impor ditampilkan; tidak ada yang disimpan. "
                                       "Unggah berkasnya lagi.")), 409)
    try:
        with saving():
            imports.terapkan(db.session, dokumen, current_user, plan)
            _hapus(token)  # used up in the same commit as the changes it made
    except WorkflowError as exc:
        status = {Konflik: 409, Ditolak: 403, IsiTidakValid: 422}.get(type(exc), 409)
        dokumen = dokumen_or_404(dokumen_id)
        return render_template("imports/pratinjau.html", dokumen=dokumen, plan=plan, token=None, nama=meta["nama"],
                               error=exc), status
    flash(_("Impor diterapkan: %(ringkasan)s", ringkasan=plan.ringkasan), "success")
    return redirect(url_for("documents.lihat", dokumen_id=dokumen.id))


@bp.errorhandler(413)
def _terlalu_besar(_exc):
    dokumen_id = (request.view_args or {}).get("dokumen_id")
    dokumen = dokumen_or_404(dokumen_id) if dokumen_id else None
    message = _("Kiriman terlalu besar; berkas paling besar %(mb)s MB.", mb=imports.MAX_BYTES // (1024 * 1024))
    if dokumen is None:
        return message, 413
    return _form(dokumen, _Error(message), 413)


# -- the command line (sakip import) ---------------------------------------------------------------

def impor_cli(kind: str, path: str, kode: str, tahun: int, *, dry_run: bool, ke_draf: bool,
              username: str | None) -> None:
    """``sakip import KIND FILE --satker CODE --year YEAR [--dry-run]``: print the dry run,
    then apply it (as the office's penyusun, or ``--user``) unless ``--dry-run``. Exits
    non-zero (ClickException) when the file has problems or is refused."""
    import click
    from sqlalchemy import select

    from tenants import accounts
    from tenants.people import Membership, User
    from workflow import operations

    bisa = [j.value for j in JenisDokumen if j is not JenisDokumen.LKJ]
    if kind not in bisa:
        raise click.ClickException(f"KIND tidak dapat diimpor: {kind} (pilih {', '.join(bisa)}; tabel LKj dihitung)")
    jenis = JenisDokumen(kind)
    satker = accounts.find_satker(db.session, kode)
    with open(path, "rb") as fh:
        data = fh.read(imports.MAX_BYTES + 1)  # one byte more than allowed is enough to refuse it
    try:
        if data.startswith((b"PK", b"\xd0\xcf\x11\xe0")) or path.lower().endswith((".xlsx", ".xlsm", ".xls")):
            tabel = imports.baca_berkas(data, Path(path).name, jenis)
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise imports.BerkasDitolak("Berkas teks harus UTF-8 (tabel bertab dari Word, PDF atau Excel).") from None
            tabel = imports.baca_teks(text, jenis)
    except imports.BerkasDitolak as exc:
        raise click.ClickException(exc.message) from None

    if username:
        user = accounts.find_user(db.session, username)
    else:
        user = db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
            Membership.satker_id == satker.id, Membership.peran == jenis.penyusun, User.active.is_(True))
            .order_by(User.id).limit(1))
    dokumen = operations.cari_dokumen(db.session, satker, tahun, jenis)
    plan = imports.rencana(db.session, dokumen, tabel, user, ke_draf=ke_draf, satker=satker, tahun=tahun)
    for line in plan.teks():
        click.echo(line)
    if plan.terhalang:
        raise click.ClickException(plan.terhalang)
    if dry_run:
        click.echo("Uji coba: tidak ada yang disimpan.")
        return
    if plan.kosong:
        click.echo("Tidak ada yang diterapkan.")
        return
    if user is None:
        raise click.ClickException(f"Tidak ada akun {jenis.penyusun.label} di {satker.nama}; sebutkan --user.")
    try:
        if dokumen is None:
            dokumen = imports.terapkan_baru(db.session, satker, tahun, jenis, user, plan)
        else:
            imports.terapkan(db.session, dokumen, user, plan)
        db.session.commit()
    except WorkflowError as exc:
        db.session.rollback()
        raise click.ClickException(f"Tidak ada yang disimpan: {exc.message}") from None
    click.echo(f"Diterapkan ke {dokumen} oleh {user.username}: {plan.ringkasan}")
