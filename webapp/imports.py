"""Import into the current draft: upload an .xlsx, .ods or .csv or paste a table, see the dry run, apply.

``GET/POST /dokumen/<id>/impor``: the form (file and text box); posting it shows the dry
run (workflow.imports.pratinjau) and stores what was sent under a random token in the
database, table ``impor_tertunda`` (the content, the document version and a digest of the
listing shown; keyed by the token's SHA-256, so the table alone cannot apply anything).
``POST /dokumen/<id>/impor/terapkan`` re-reads that content, and applies only when the
document is still at the version shown and the plan reads exactly as shown; otherwise it
answers 409 and saves nothing. A token works once, for the user and browser session that
made it, for an hour. Being in the database, the dry run shown by one app server can be
applied through any other (README, "Produksi").

Who may import: whoever may edit the draft (workflow.dokumen.policy: the penyusun, or in a RAK
a unit for its own rows; the plan lists a row the user may not touch as a problem).

Reading a workbook costs up to a second or two of CPU, so previews take turns in each
process (``_giliran``): one at a time per user, and at most ``SAKIP_IMPOR_SERENTAK`` (1)
at once, which leaves a worker's other threads to the pages. A user's second preview is
refused at once (429); another user's waits up to ``SAKIP_IMPOR_TUNGGU`` (10) seconds for the
process's turn, as an office table is read in well under a second, and is refused after
that (503, with Retry-After); an uploaded file is kept for the retry, so the user presses the button again
without choosing the file again. The file is read by a thread of its own at a lower CPU
priority (``SAKIP_IMPOR_NICE``, 10; Linux keeps a nice value per thread), so that on busy
cores the pages go first (bench/upload_load.py), and outside any transaction: no database
connection (nor SQLite's write lock) waits on the parser.
"""
from __future__ import annotations

import contextvars
import hashlib
import os
import re
import secrets
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, delete, or_, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import HTTPException

from tenants.db import db, utcnow
from tenants.teks import bahasa_asli
from webapp.common import dokumen_or_404, saving
from webapp.gate import gated
from workflow import imports
from workflow.dokumen import policy
from workflow.dokumen.models import Bentuk, Dokumen, JenisDokumen
from workflow.errors import WorkflowError

bp = Blueprint("imports", __name__)

TTL = 3600  # seconds a dry run may be applied after it was shown
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
_SESSION_KEY = "impor_token"
_TUNDA_KEY = "impor_tunda"  # an upload kept while it waited for a turn (not checked yet)
RETRY_AFTER = 5  # seconds a refused preview is told to wait
BERKAS = "berkas"  # ImporTertunda.jenis of an uploaded file (.xlsx, .ods or .csv)


class _Error:
    """What the templates show in the red box (same shape as a WorkflowError)."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.masalah = [message]


class ImporTertunda(db.Model):
    """A dry run shown and not yet applied: what was sent, and what it was checked against.
    With an empty ``digest``: an upload kept while its preview waited for a turn, which
    nothing can apply."""

    __tablename__ = "impor_tertunda"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    dokumen_id: Mapped[int] = mapped_column(ForeignKey("dokumen.id", ondelete="CASCADE"), index=True)
    versi: Mapped[int] = mapped_column(Integer)
    jenis: Mapped[str] = mapped_column(String(8))  # "berkas" (any file; "xlsx" in rows kept before .ods/.csv) or "tempel"
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
    if found is None or not found.digest or found.user_id != current_user.id or found.dokumen_id != dokumen.id \
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


def _simpan_tunda(dokumen: Dokumen, nama: str, isi: bytes) -> None:
    """Keep an upload refused for lack of a turn (committed at once), replacing the one this
    session kept before."""
    _ambil_tunda(dokumen)
    token = secrets.token_urlsafe(24)
    db.session.add(ImporTertunda(token_hash=_hash(token), user_id=current_user.id, dokumen_id=dokumen.id,
                                 versi=dokumen.versi, jenis=BERKAS, nama=nama[:255], ke_draf=False, digest="",
                                 isi=isi, dibuat=utcnow()))
    db.session.commit()
    session[_TUNDA_KEY] = token


def _ambil_tunda(dokumen: Dokumen) -> tuple[str, bytes] | None:
    """(name, content) of the upload this session kept for ``dokumen``, taken out of the
    table (kept again if its turn is refused again)."""
    token = session.pop(_TUNDA_KEY, None)
    if not _TOKEN.match(token or ""):
        return None
    found = db.session.get(ImporTertunda, _hash(token))
    if found is None:
        return None
    kept = (found.nama, found.isi) if not found.digest and found.user_id == current_user.id \
        and found.dokumen_id == dokumen.id and utcnow() - _aware(found.dibuat) <= timedelta(seconds=TTL) else None
    db.session.delete(found)
    db.session.flush()
    return kept


def _tunda_nama(dokumen: Dokumen) -> str | None:
    """The name of the upload kept for ``dokumen`` in this session, if any (shown on the form)."""
    token = session.get(_TUNDA_KEY)
    if not _TOKEN.match(token or ""):
        return None
    return db.session.scalar(select(ImporTertunda.nama).where(
        ImporTertunda.token_hash == _hash(token), ImporTertunda.dokumen_id == dokumen.id,
        ImporTertunda.user_id == current_user.id, ImporTertunda.digest == ""))


# -- turns -----------------------------------------------------------------------------------------

class _Sibuk(Exception):
    """No turn for this preview now; the message says to try again in a moment."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message, self.masalah = status, message, [message]


class _Giliran:
    """One process's turns: the users with a preview running, a semaphore for all, and the
    threads that read the files."""

    def __init__(self, serentak: int, nice: int, tunggu: float) -> None:
        self.serentak, self.nice, self.tunggu = max(1, serentak), nice, max(0.0, tunggu)
        self.proses = threading.BoundedSemaphore(self.serentak)
        self.pengguna: set[int] = set()
        self.kunci = threading.Lock()
        self._pembaca: tuple[int, ThreadPoolExecutor] | None = None

    def pembaca(self) -> ThreadPoolExecutor:
        """Started by the process that uses them (a forked worker starts its own)."""
        with self.kunci:
            if self._pembaca is None or self._pembaca[0] != os.getpid():
                pool = ThreadPoolExecutor(self.serentak, "pembaca-impor", initializer=_rendahkan, initargs=(self.nice,))
                self._pembaca = (os.getpid(), pool)
            return self._pembaca[1]

    def ambil_pengguna(self, user_id: int) -> bool:
        with self.kunci:
            if user_id in self.pengguna:
                return False
            self.pengguna.add(user_id)
            return True

    def lepas_pengguna(self, user_id: int) -> None:
        with self.kunci:
            self.pengguna.discard(user_id)


def _rendahkan(nice: int) -> None:
    """This thread at ``nice`` more than the process: on busy cores the pages run first."""
    if nice and sys.platform.startswith("linux"):
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + nice))


def _setelan(config, key: str, default: int) -> int:
    return int(config.get(key, os.environ.get(key, default)))


@bp.record_once
def _pasang_giliran(state) -> None:
    state.app.extensions["sakip_impor_giliran"] = _Giliran(_setelan(state.app.config, "SAKIP_IMPOR_SERENTAK", 1),
                                                           _setelan(state.app.config, "SAKIP_IMPOR_NICE", 10),
                                                           _setelan(state.app.config, "SAKIP_IMPOR_TUNGGU", 10))


def _baca_rendah(jenis_dokumen: JenisDokumen, jenis: str, nama: str, isi: bytes, pilihan: dict[int, str]
                 ) -> imports.TabelImpor:
    """``_baca`` in a reader thread, with this request's context (the reader's language)."""
    pool = current_app.extensions["sakip_impor_giliran"].pembaca()
    return pool.submit(contextvars.copy_context().run, _baca, jenis_dokumen, jenis, nama, isi, pilihan).result()


@contextmanager
def _giliran(user_id: int) -> Iterator[None]:
    """A turn to read an upload, or ``_Sibuk``: first the user's own (429), then the process's (503)."""
    giliran: _Giliran = current_app.extensions["sakip_impor_giliran"]
    if not giliran.ambil_pengguna(user_id):
        raise _Sibuk(429, _("Pratinjau impor Anda yang lain masih diperiksa. Tunggu sampai selesai, lalu tekan "
                           "Periksa lagi."))
    try:
        if not giliran.proses.acquire(blocking=False) and not _tunggu_giliran(giliran):
            raise _Sibuk(503, _("Server sedang memeriksa impor lain. Tunggu sebentar, lalu tekan Periksa lagi."))
        try:
            yield
        finally:
            giliran.proses.release()
    finally:
        giliran.lepas_pengguna(user_id)


def _tunggu_giliran(giliran: _Giliran) -> bool:
    """Wait for the process's turn with no transaction open: on SQLite a reader waiting
    would hold off the writer whose turn it is."""
    db.session.commit()
    return giliran.proses.acquire(timeout=giliran.tunggu)


def _baca(jenis_dokumen: JenisDokumen, jenis: str, nama: str, isi: bytes, pilihan: dict[int, str]
          ) -> imports.TabelImpor:
    if jenis in (BERKAS, "xlsx"):  # a file, its format told by its content
        return imports.baca_berkas(isi, nama, jenis_dokumen, pilihan)
    return imports.baca_teks(isi.decode("utf-8"), jenis_dokumen, pilihan)


def _pilihan() -> dict[int, str]:
    """What the user said the columns without heading are (the dry run's picker, ``kolom_<no>``,
    sent again with Terapkan): 0-based column -> field. Anything else is ignored; the plan's
    digest keeps Terapkan to exactly the choice that was shown."""
    out: dict[int, str] = {}
    for key, value in request.form.items():
        m = re.fullmatch(r"kolom_(\d{1,3})", key)
        if m and 1 <= int(m[1]) <= imports.MAX_KOLOM and value and imports.pilihan_sah(value):
            out[int(m[1]) - 1] = value
    return out


def _opsi(tabel: imports.TabelImpor) -> list[tuple[str, str]]:
    """The choices of the column picker: the fields, the months of a monthly schedule, ignore."""
    opsi = [(b, imports.nama_pilihan(b)) for b in imports.PILIHAN if b != "abaikan"]
    if tabel.bentuk is None or tabel.bentuk.value == "bulan":
        opsi += [(f"bulan_{m}", imports.nama_pilihan(f"bulan_{m}")) for m in range(1, 13)]
    return [*opsi, ("abaikan", _("Abaikan (jangan dibaca)"))]


def _form(dokumen: Dokumen, error=None, status: int = 200, teks: str = "", ke_draf: bool = False):
    return render_template("imports/form.html", dokumen=dokumen, error=error, teks=teks, ke_draf=ke_draf,
                           tunda=_tunda_nama(dokumen), accept=",".join(imports.DITERIMA),
                           max_mb=imports.MAX_BYTES // (1024 * 1024),
                           max_baris=imports.MAX_BARIS, tanda=_tanda()), status


def _tanda() -> dict[str, str]:
    """The schedule marks the reader takes, for the help text of the form and the dry run."""
    return {"ya": " ".join(imports.TANDA), "tidak": " ".join(imports.TANPA_TANDA)}


def _dokumen(dokumen_id: int, *, lock: bool = False) -> Dokumen:
    """The document to import into; an LKj has no table to import (its tables are computed)."""
    dokumen = dokumen_or_404(dokumen_id, lock=lock)
    if dokumen.jenis.bentuk is Bentuk.LKJ:
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
    kept = _ambil_tunda(dokumen) if request.form.get("tunda") == "1" else None
    if upload is not None and upload.filename:
        isi = upload.stream.read(imports.MAX_BYTES + 1)
        jenis, nama = BERKAS, upload.filename
    elif kept is not None:
        (nama, isi), jenis = kept, BERKAS
    elif teks.strip():
        isi, jenis, nama = teks.encode("utf-8"), "tempel", ""
    else:
        return _form(dokumen, _Error(_("Pilih berkas .xlsx, .ods atau .csv, atau tempel tabel di kotak teks.")), 422, teks,
                     ke_draf)
    jenis_dokumen = dokumen.jenis
    pilihan = _pilihan()
    try:
        with _giliran(current_user.id):
            db.session.commit()  # the file is read with no transaction open (and the kept upload used up)
            tabel = _baca_rendah(jenis_dokumen, jenis, nama, isi, pilihan)
            plan = imports.rencana(db.session, dokumen, tabel, current_user, ke_draf=ke_draf)
            token = None
            if plan.bisa_diterapkan:
                asli = plan if _dibaca_asli() else _rencana_asli(dokumen, tabel, ke_draf)
                token = _simpan(dokumen, jenis, nama, isi, ke_draf, asli)
    except _Sibuk as busy:
        if jenis == BERKAS:
            _simpan_tunda(dokumen, nama, isi)
        page, status = _form(dokumen, busy, busy.status, teks, ke_draf)
        return page, status, {"Retry-After": str(RETRY_AFTER)}
    except imports.BerkasDitolak as exc:
        return _form(dokumen, _Error(exc.message), 422, teks, ke_draf)
    if plan.terbuka and jenis == BERKAS:
        _simpan_tunda(dokumen, nama, isi)  # the picker checks the same file again without choosing it again
    return render_template("imports/pratinjau.html", dokumen=dokumen, plan=plan, token=token, nama=nama,
                           error=None, tanda=_tanda(), pilihan=pilihan, opsi=_opsi(tabel),
                           teks=teks if jenis == "tempel" else None), 200


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
    pilihan = _pilihan()
    try:
        tabel = _baca(dokumen.jenis, meta["jenis"], meta["nama"], isi, pilihan)
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
        dokumen = dokumen_or_404(dokumen_id)
        return render_template("imports/pratinjau.html", dokumen=dokumen, plan=plan, token=None, nama=meta["nama"],
                               error=exc, tanda=_tanda(), pilihan=pilihan, opsi=[], teks=None), exc.status
    flash(_("Impor diterapkan: %(ringkasan)s", ringkasan=plan.ringkasan), "success")
    return redirect(url_for("documents.lihat", dokumen_id=dokumen.id))


@bp.errorhandler(413)
def _terlalu_besar(_exc):
    """A body over MAX_CONTENT_LENGTH, refused unread: the import form again with the
    message, or a plain page when its document cannot be shown (an error page never fails)."""
    message = _("Kiriman terlalu besar; berkas paling besar %(mb)s MB.", mb=imports.MAX_BYTES // (1024 * 1024))
    dokumen_id = (request.view_args or {}).get("dokumen_id")
    try:
        if dokumen_id and current_user.is_authenticated:
            return _form(_dokumen(dokumen_id), _Error(message), 413)
    except HTTPException:
        # The document out of reach, or the visitor not known: a session that has just ended
        # keeps what its form sent (webapp.kept_input), and reading this body fails again.
        if "_login_user" not in g:
            g._login_user = current_app.login_manager.anonymous_user()
    return render_template("errors/error.html", code=413, pesan=message), 413


# -- the command line (sakip import) ---------------------------------------------------------------

def impor_cli(kind: str, path: str, kode: str, tahun: int, *, dry_run: bool, ke_draf: bool,
              username: str | None) -> None:
    """``sakip import KIND FILE --satker CODE --year YEAR [--dry-run]``: print the dry run,
    then apply it (as the office's penyusun, or ``--user``) unless ``--dry-run``. Exits
    non-zero (ClickException) when the file has problems or is refused."""
    import click

    from tenants import accounts
    from workflow.dokumen import operations

    bisa = [j.value for j in JenisDokumen if j.bentuk is not Bentuk.LKJ]
    if kind not in bisa:
        raise click.ClickException(f"KIND tidak dapat diimpor: {kind} (pilih {', '.join(bisa)}; tabel LKj dihitung)")
    jenis = JenisDokumen(kind)
    satker = accounts.find_satker(db.session, kode)
    with open(path, "rb") as fh:
        data = fh.read(imports.MAX_BYTES + 1)  # one byte more than allowed is enough to refuse it
    try:
        tabel = _baca_berkas_cli(data, Path(path).name, jenis)
    except imports.BerkasDitolak as exc:
        raise click.ClickException(exc.message) from None

    user = accounts.find_user(db.session, username) if username else _penyusun_cli(satker, jenis)
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


def _penyusun_cli(satker, jenis: JenisDokumen):
    """Who applies a command-line import by default: the office's first active penyusun."""
    from tenants.people import Membership, User

    return db.session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.satker_id == satker.id, Membership.peran == jenis.penyusun, User.active.is_(True))
        .order_by(User.id).limit(1))


def _baca_berkas_cli(data: bytes, nama: str, jenis: JenisDokumen) -> imports.TabelImpor:
    """A .txt is a table pasted into a file (tab-separated text from Word, a PDF or Excel,
    read as the text box reads it); anything else is read as an upload is (.xlsx, .ods or
    .csv, told apart by content; .xls and others refused with the remedy)."""
    if not nama.lower().endswith(".txt") or data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        return imports.baca_berkas(data, nama, jenis)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise imports.BerkasDitolak("Berkas teks harus UTF-8 (tabel bertab dari Word, PDF atau Excel).") from None
    return imports.baca_teks(text, jenis)
