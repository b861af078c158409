"""The ``sakip`` command: set up, load demo data, serve, and manage accounts."""
from __future__ import annotations

import os
import secrets
import sys

import click
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from tenants import accounts
from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tenants.people import Divisi, Peran, Subbagian
from tenants.satker import Satker
from webapp import create_app
from webapp.config import ConfigurationError
from webapp.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo
from workflow import audit
from workflow.dokumen import cascade
from workflow.dokumen.models import Dokumen, JenisDokumen, Status
from workflow.evaluasi import lke
from workflow.notifikasi import pengirim


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True, add_version_option=False)
def cli() -> None:
    """SAKIP KPU: perencanaan dan pelaporan kinerja KPU."""


def _init_database() -> None:
    upgrade()
    result = load_hierarchy(db.session)
    versi = lke.versi_berlaku(db.session)  # the bundled worksheet, when none is loaded yet
    db.session.commit()
    click.echo(
        f"Hierarki satker: {result.created} dibuat, {result.updated} diperbarui, {result.unchanged} tetap."
    )
    click.echo(f"LKE berlaku: {versi.nama} ({len(versi.kriteria)} kriteria).")


@cli.group("lke")
def lke_group() -> None:
    """Lembar Kerja Evaluasi: memuat versi LKE (mis. peraturan baru)."""


@lke_group.command("muat")
@click.argument("berkas", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--versi", "nama", required=True, help='Nama versi, mis. "PermenPAN-RB 88/2021".')
@with_appcontext
def lke_muat(berkas: str, nama: str) -> None:
    """Muat LKE dari CSV (kolom seperti workflow/data/lke/); versi yang sama dari berkas lain ditolak."""
    try:
        versi, baru = lke.muat(db.session, berkas, nama)
    except lke.LkeTidakSah as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    bobot = sum(k.bobot for k in versi.komponen)
    click.echo(f"{'Dimuat' if baru else 'Sudah ada, tidak diubah'}: {versi.nama}: {len(versi.komponen)} komponen, "
               f"{len(versi.subkomponen)} subkomponen, {len(versi.kriteria)} kriteria, bobot {bobot.normalize():f}.")


@cli.command("init")
@with_appcontext
def init_command() -> None:
    """Terapkan migrasi dan muat 553 satker (aman dijalankan berulang)."""
    _init_database()


@cli.command("demo")
@with_appcontext
def demo_command() -> None:
    """Siapkan basis data, akun demo dan dokumen contoh 2024 (aman dijalankan berulang)."""
    _init_database()
    result = load_demo(db.session)
    db.session.commit()
    click.echo(f"Akun demo (kata sandi semuanya: {DEMO_PASSWORD}):")
    for account, created in result.akun:
        mark = "baru" if created else "ada"
        click.echo(f"  {account.username:<22} {account.peran.value:<11} {account.satker_kode:<6} ({mark})")
    click.echo(f"Admin dan reviewer wajib memakai kode autentikator. KHUSUS DEMO, kuncinya sama untuk semuanya:\n"
               f"  {DEMO_TOTP_SECRET}\n"
               f"  (tambahkan ke aplikasi autentikator, atau jalankan `sakip demo-kode` untuk kode saat ini)")
    click.echo("Dokumen contoh 2024:")
    for ringkasan in result.dokumen:
        click.echo(f"  {ringkasan}")
        for catatan in ringkasan.catatan:
            click.echo(f"      catatan: {catatan}")
        if ringkasan.status is Status.DRAFT and ringkasan.masalah:
            click.echo(f"      belum lengkap untuk diajukan: {' '.join(ringkasan.masalah)}")


@cli.command("demo-kode")
def demo_code_command() -> None:
    """Cetak kode autentikator akun demo admin dan reviewer saat ini (KHUSUS DEMO)."""
    import time

    import pyotp

    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    left = totp.interval - int(time.time()) % totp.interval
    click.echo(f"{totp.now()}  (berlaku {left} detik lagi; kunci demo {DEMO_TOTP_SECRET})")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """Jalankan aplikasi (server pengembangan) di http://HOST:PORT."""
    from flask import current_app
    from werkzeug.serving import run_simple

    click.echo(f"SAKIP KPU berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)")
    # Werkzeug directly: Flask ignores app.run() inside its own CLI.
    run_simple(host, port, current_app._get_current_object(), threaded=True)


def setelan_smtp(config) -> pengirim.SetelanSmtp | None:
    """The worker's mail server from the app's config (webapp.config.smtp_config); None: off."""
    if not config.get("SAKIP_SMTP_HOST"):
        return None
    return pengirim.SetelanSmtp(
        host=config["SAKIP_SMTP_HOST"], port=config["SAKIP_SMTP_PORT"], pengguna=config["SAKIP_SMTP_USER"],
        sandi=config["SAKIP_SMTP_PASSWORD"], pengirim=config["SAKIP_SMTP_FROM"],
        starttls=config["SAKIP_SMTP_STARTTLS"], maks_percobaan=config["SAKIP_SMTP_MAX_ATTEMPTS"],
        alamat_situs=config.get("PUBLIC_BASE_URL"))


@cli.command("worker")
@click.option("--once", is_flag=True, help="Kirim antrean surel yang sudah waktunya, lalu berhenti (cron, uji).")
@click.option("--ringkasan", is_flag=True, help="Buat ringkasan harian sekarang (lalu kirim antrean).")
@click.option("--interval", default=10.0, show_default=True, type=float, help="Detik antar putaran.")
@with_appcontext
def worker_command(once: bool, ringkasan: bool, interval: float) -> None:
    """Kirim pemberitahuan lewat surel (SMTP dari SAKIP_SMTP_*): tiap pesan sekali, diulang bila server mati."""
    import time
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from flask import current_app

    setelan = setelan_smtp(current_app.config)
    if setelan is None:
        raise click.ClickException("SAKIP_SMTP_HOST belum diatur: surel tidak aktif, pemberitahuan hanya di aplikasi.")
    zona = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    hari_ringkasan = None
    while True:
        pengirim.ambil_kembali_klaim_basi(db.session)
        sekarang = datetime.now(zona)
        if ringkasan or (not once and sekarang.hour >= current_app.config["SAKIP_DIGEST_HOUR"]
                         and hari_ringkasan != sekarang.date()):
            click.echo(f"Ringkasan harian: {pengirim.buat_ringkasan(db.session)} surel diantrekan.")
            hari_ringkasan, ringkasan = sekarang.date(), False
        hasil = pengirim.kirim_antrean(db.session, setelan)
        if hasil.terkirim or hasil.ditunda or hasil.gagal or once:
            click.echo(f"Surel: {hasil.terkirim} terkirim, {hasil.ditunda} ditunda, {hasil.gagal} gagal.")
        for galat in hasil.galat[:5]:
            click.echo(f"  {galat}", err=True)
        db.session.remove()
        if once:
            return
        time.sleep(interval)


@cli.command("ingatkan")
@click.option("--tanggal", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Hari yang dijalankan (YYYY-MM-DD); tanpa ini hari ini (WIB).")
@click.option("--tahun", type=int, multiple=True,
              help="Tahun dokumen; boleh diulang. Tanpa ini tahun ini dan tahun lalu (LKj, realisasi Desember).")
@click.option("--hari-sebelum", type=click.IntRange(0, 30), default=3, show_default=True,
              envvar="SAKIP_REMINDER_DAYS", help="Pengingat pertama: sekian hari kerja sebelum tenggat.")
@with_appcontext
def ingatkan_command(tanggal, tahun: tuple[int, ...], hari_sebelum: int) -> None:
    """Pengingat otomatis (cron, sekali sehari): sebelum tenggat dan sehari kerja setelah terlewat."""
    from sqlalchemy.exc import IntegrityError

    from workflow.jadwal.queries import hari_ini
    from workflow.notifikasi import pengingat

    pada = tanggal.date() if tanggal else hari_ini()
    ringkasan = pengingat.Ringkasan()
    try:
        for t in tahun or (pada.year - 1, pada.year):
            pengingat.jalankan(db.session, t, pada, hari_sebelum, ringkasan)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another run of the same day got there first: it sent them
        raise click.ClickException("Pengingat hari ini sedang dikirim oleh proses lain; tidak ada yang dikirim.")
    click.echo(f"{pada.isoformat()}: {ringkasan.jumlah} pengingat, {ringkasan.notifikasi} pemberitahuan"
               f"{f', {ringkasan.tanpa_penerima} tanpa penerima' if ringkasan.tanpa_penerima else ''}.")
    for baris in ringkasan.baris():
        click.echo(f"  {baris}")


@cli.command("cascade")
@click.option("--satker", "kode", required=True, help="Kode satker induk, mis. RI atau 35.")
@click.option("--year", "tahun", required=True, type=int, help="Tahun PK.")
@click.option("--jenis", type=click.Choice([j.value for j in JenisDokumen if j.diturunkan]), default="pk_komisi",
              show_default=True)
@with_appcontext
def cascade_command(kode: str, tahun: int, jenis: str) -> None:
    """Turunkan indikator dan target PK satker ke draf PK satker di bawahnya (satu transaksi)."""
    induk = db.session.scalar(select(Dokumen).join(Satker).where(
        Satker.kode == kode, Dokumen.tahun == tahun, Dokumen.jenis == JenisDokumen(jenis)))
    if induk is None:
        raise click.ClickException(f"{jenis} {kode} tahun {tahun} tidak ada.")
    children = db.session.scalar(select(func.count()).select_from(Satker).where(Satker.parent_id == induk.satker_id))
    with click.progressbar(length=children, label="Menurunkan", show_pos=True) as bar:
        hasil = cascade.turunkan(db.session, induk, None, progress=lambda _satker: bar.update(1))
    db.session.commit()
    click.echo(hasil.ringkasan)


@cli.command("generate")
@click.option("--year", "tahun", required=True, type=int, help="Tahun data.")
@click.option("--rak-rows", default=40, show_default=True, type=click.IntRange(1, 500), help="Baris RAK per satker.")
@with_appcontext
def generate_command(tahun: int, rak_rows: int) -> None:
    """Isi basis data dengan data nasional yang realistis (553 satker) untuk uji beban."""
    _init_database()
    from workflow.generate import generate

    offices = db.session.scalar(select(func.count()).select_from(Satker))
    provinces = db.session.scalar(select(func.count()).select_from(Satker).where(Satker.parent_id.is_not(None),
                                                                                  Satker.tingkat == "provinsi"))
    with click.progressbar(length=1 + provinces + offices, label="Membangkitkan data", show_pos=True) as bar:
        counts = generate(db.session, tahun, rak_rows=rak_rows, progress=lambda _label, n: bar.update(n))
        db.session.commit()
    click.echo(f"{counts['satker']} satker; {counts['baris_rak']} baris RAK, {counts['realisasi']} realisasi dan "
               f"{counts['realisasi_output']} realisasi anggaran per output baru, "
               f"{counts['laporan_periode']} laporan periode, {counts['bukti']} bukti dukung dan "
               f"{counts['evaluasi']} evaluasi AKIP baru.")


@cli.group("audit")
def audit_group() -> None:
    """Periksa jejak audit."""


def _anchor_option(command):
    return click.option(
        "--anchor", "jangkar", multiple=True, type=click.Path(exists=True, dir_okay=False),
        help="Berkas jangkar dari `sakip audit anchor` (boleh berulang): rantai harus masih memuat ujung yang "
             "dicatatnya.")(command)


def _read_anchors(paths: tuple[str, ...]) -> list[audit.Anchor]:
    anchors: list[audit.Anchor] = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                anchors += audit.read_anchors(fh, path)
        except UnicodeDecodeError:
            raise click.ClickException(f"{path} bukan berkas jangkar (teks UTF-8).") from None
        except audit.AnchorInvalid as exc:
            raise click.ClickException(str(exc)) from None
    return anchors


def _verified(anchors=()) -> audit.VerifyResult:
    result = audit.verify(db.session, anchors)
    if not result.ok:
        # One line on stderr and exit 1, like every refusal (see main).
        raise click.ClickException(f"Jejak audit rusak pada entri nomor {result.broken.seq}: {result.broken.reason}")
    return result


@audit_group.command("verify")
@_anchor_option
@with_appcontext
def audit_verify(jangkar: tuple[str, ...]) -> None:
    """Periksa rantai jejak audit (HMAC dengan SAKIP_AUDIT_KEY) dari entri pertama sampai terakhir."""
    anchors = _read_anchors(jangkar)
    result = _verified(anchors)
    click.echo(f"Jejak audit utuh: {result.checked} entri diperiksa.")
    if result.keyed_from and result.keyed_from > 1:
        click.echo(f"Entri 1 sampai {result.keyed_from - 1} dari rantai SHA-256 lama, tertutup oleh entri "
                   f"berkunci nomor {result.keyed_from}.")
    if anchors:
        click.echo(f"{len(anchors)} jangkar cocok: ujung rantai yang dicatatnya masih ada.")
    click.echo(f"Hash entri terakhir: {result.head} (simpan jangkarnya di luar sistem: `sakip audit anchor`)")


@audit_group.command("anchor")
@with_appcontext
def audit_anchor() -> None:
    """Cetak jangkar ujung rantai (satu baris JSON bertanda HMAC) untuk disimpan di luar basis data."""
    result = _verified()
    click.echo(audit.anchor(result).to_line())


@audit_group.command("rekey")
@with_appcontext
def audit_rekey() -> None:
    """Sekali, setelah pemutakhiran: periksa rantai SHA-256 lama, lalu kunci dengan SAKIP_AUDIT_KEY."""
    result = audit.rekey(db.session)
    if not result.ok:
        raise click.ClickException(f"Jejak audit rusak pada entri nomor {result.broken.seq}: {result.broken.reason}; "
                                   "rantai tidak dikunci.")
    db.session.commit()
    if result.keyed_from is not None:
        click.echo(f"Jejak audit sudah berkunci sejak entri nomor {result.keyed_from}; tidak ada yang diubah.")
    elif not result.checked:
        click.echo("Jejak audit masih kosong; entri pertamanya akan langsung berkunci.")
    else:
        click.echo(f"Rantai lama utuh ({result.checked} entri) dan kini dikunci oleh entri nomor {result.checked + 1}.")


@cli.command("export")
@click.argument("kind", metavar="KIND")
@click.option("--satker", "kode", required=True, help="Kode satker, mis. 35.79.")
@click.option("--year", "tahun", required=True, type=int, help="Tahun dokumen, mis. 2024.")
@click.option("--revisi", "nomor_revisi", type=int, default=None, help="Nomor revisi; tanpa ini revisi terkini.")
@click.option("-o", "--output", "berkas", required=True, help="Berkas keluaran: .xlsx, .pdf, atau .docx (LKj).")
@with_appcontext
def export_command(kind: str, kode: str, tahun: int, nomor_revisi: int | None, berkas: str) -> None:
    """Ekspor dokumen atau rekap ke .xlsx atau .pdf (LKj juga ke .docx).

    KIND: pk_komisi, pk_sekretariat, rkt_komisi, rkt_sekretariat, rak_komisioner,
    rak_sekretariat, lkj (Laporan Kinerja), atau rekap (KPU Provinsi dan KPU RI, hanya .xlsx).
    """
    from webapp.exports import EksporGagal, ekspor_berkas

    try:
        click.echo(ekspor_berkas(db.session, kind, kode, tahun, berkas, nomor_revisi))
    except EksporGagal as exc:
        raise click.ClickException(str(exc)) from None


@cli.command("import")
@click.argument("kind", metavar="KIND")
@click.argument("berkas", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--satker", "kode", required=True, help="Kode satker, mis. 35.79.")
@click.option("--year", "tahun", required=True, type=int, help="Tahun dokumen, mis. 2024.")
@click.option("--dry-run", is_flag=True, help="Hanya tampilkan perubahan dan masalah; tidak menyimpan apa pun.")
@click.option("--ke-draf", is_flag=True, help="Terapkan juga berkas yang diekspor dari revisi atau versi lama.")
@click.option("--user", "username", default=None, help="Akun yang menerapkan; tanpa ini penyusun dokumen di satker itu.")
@with_appcontext
def import_command(kind: str, berkas: str, kode: str, tahun: int, dry_run: bool, ke_draf: bool,
                   username: str | None) -> None:
    """Impor RAK, PK atau RKT dari .xlsx, .ods, .csv atau teks bertab (.txt): tampilkan uji coba, lalu terapkan.

    KIND: pk_komisi, pk_sekretariat, rkt_komisi, rkt_sekretariat, rak_komisioner,
    rak_sekretariat. Keluar dengan kode bukan nol bila berkas bermasalah atau ditolak.
    """
    from webapp.imports import impor_cli

    impor_cli(kind, berkas, kode, tahun, dry_run=dry_run, ke_draf=ke_draf, username=username)


@cli.group("user")
def user_group() -> None:
    """Kelola akun dan keanggotaan."""


def _enum_choice(enum_cls) -> click.Choice:
    return click.Choice([m.value for m in enum_cls])


@user_group.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Nama lengkap.")
@click.option("--satker", "kode", required=True, help="Kode satker pemilik akun, mis. 35.79.")
@click.option("--password", default=None, help="Kata sandi; tanpa ini dibuat acak dan dicetak.")
@with_appcontext
def user_add(username: str, full_name: str, kode: str, password: str | None) -> None:
    """Buat akun baru."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    user = accounts.create_user(db.session, username, full_name, accounts.find_satker(db.session, kode), password)
    db.session.commit()
    click.echo(f"Akun {user.username} dibuat di {user.satker.nama}.")
    if generated:
        click.echo(f"Kata sandi awal: {password}")


def _membership_options(command):
    for option in reversed([
        click.option("--satker", "kode", required=True, help="Kode satker, mis. 35.79."),
        click.option("--role", "peran", required=True, type=_enum_choice(Peran)),
        click.option("--divisi", type=_enum_choice(Divisi), default=None),
        click.option("--subbagian", type=_enum_choice(Subbagian), default=None),
    ]):
        command = option(command)
    return command


def _membership_args(username, kode, peran, divisi, subbagian) -> tuple:
    """Command-line words -> (user, satker, Peran, Divisi | None, Subbagian | None)."""
    return (
        accounts.find_user(db.session, username),
        accounts.find_satker(db.session, kode),
        Peran(peran),
        Divisi(divisi) if divisi else None,
        Subbagian(subbagian) if subbagian else None,
    )


@user_group.command("grant")
@click.argument("username")
@_membership_options
@with_appcontext
def user_grant(username: str, kode: str, peran: str, divisi: str | None, subbagian: str | None) -> None:
    """Beri peran di satker kepada akun."""
    user, satker, *role = _membership_args(username, kode, peran, divisi, subbagian)
    membership = accounts.grant(db.session, user, satker, *role)
    db.session.commit()
    click.echo(f"{user.username}: {membership}")


@user_group.command("revoke")
@click.argument("username")
@_membership_options
@with_appcontext
def user_revoke(username: str, kode: str, peran: str, divisi: str | None, subbagian: str | None) -> None:
    """Cabut peran di satker dari akun."""
    user, satker, *role = _membership_args(username, kode, peran, divisi, subbagian)
    removed = accounts.revoke(db.session, user, satker, *role)
    db.session.commit()
    click.echo(f"{user.username}: {removed} keanggotaan dicabut di {satker.nama}.")


@user_group.command("disable")
@click.argument("username")
@with_appcontext
def user_disable(username: str) -> None:
    """Nonaktifkan akun dan akhiri semua sesinya."""
    user = accounts.find_user(db.session, username)
    accounts.set_active(user, False)
    db.session.commit()
    click.echo(f"Akun {user.username} dinonaktifkan.")


@user_group.command("enable")
@click.argument("username")
@with_appcontext
def user_enable(username: str) -> None:
    """Aktifkan kembali akun."""
    user = accounts.find_user(db.session, username)
    accounts.set_active(user, True)
    db.session.commit()
    click.echo(f"Akun {user.username} diaktifkan.")


# -- integrity, backup and restore ------------------------------------------------------------

@cli.command("check")
@_anchor_option
@with_appcontext
def check_command(jangkar: tuple[str, ...]) -> None:
    """Periksa konsistensi: status sesuai riwayat, tanda tangan sesuai isi, rantai audit utuh.

    Keluar dengan kode 1 bila ada masalah (untuk pemeriksaan terjadwal)."""
    from workflow.dokumen import integrity

    masalah = integrity.periksa(db.session, _read_anchors(jangkar))
    for m in masalah:
        click.echo(m)
    click.echo(f"{len(masalah)} masalah.")
    if masalah:
        raise click.exceptions.Exit(1)


@cli.command("backup")
@click.argument("berkas", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Timpa FILE bila sudah ada.")
@with_appcontext
def backup_command(berkas: str, force: bool) -> None:
    """Cadangkan seluruh basis data ke FILE (SQLite: backup daring; PostgreSQL: pg_dump)."""
    from webapp.backup import CadanganGagal, backup

    try:
        backup(db.engine, berkas, force=force)
    except CadanganGagal as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Cadangan tersimpan di {berkas}.")


@cli.command("restore")
@click.argument("berkas", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Timpa isi basis data tujuan yang tidak kosong.")
@with_appcontext
def restore_command(berkas: str, force: bool) -> None:
    """Pulihkan basis data dari FILE buatan `sakip backup` (hanya ke basis data kosong, kecuali --force)."""
    from webapp.backup import CadanganGagal, restore, ringkasan

    try:
        restore(db.engine, berkas, force=force)
    except CadanganGagal as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Dipulihkan dari {berkas}: {ringkasan(db.session)}")


@cli.group("db")
def db_group() -> None:
    """Database administration (PostgreSQL)."""


@db_group.command("app-role")
@click.argument("role")
def db_app_role(role: str) -> None:
    """Let ROLE (which must not own the tables) use the data under row-level security.
    Run as the owner after `sakip init`, and again after upgrades that add tables."""
    from tenants import rls

    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("row-level security hanya ada di PostgreSQL")
    schema = db.session.scalar(text("SELECT current_schema()"))
    try:
        for statement in rls.grant_sql(role, schema):
            db.session.execute(text(statement))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Peran {role} boleh membaca dan menulis data di skema {schema}; RLS berlaku baginya.")


def main(argv: list[str] | None = None) -> int:
    """Entry point: every refusal is one line on stderr and a non-zero exit."""
    os.environ.setdefault("FLASK_RUN_FROM_CLI", "true")
    try:
        code = cli.main(args=argv, prog_name="sakip", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except (audit.AuditKeyMissing, ConfigurationError) as exc:
        click.echo(f"sakip: kesalahan: {exc}", err=True)
        return 1
    except click.ClickException as exc:
        message = " ".join(exc.format_message().split())
        click.echo(f"sakip: kesalahan: {message}", err=True)
        return exc.exit_code
    except accounts.AccountError as exc:
        click.echo(f"sakip: kesalahan: {exc}", err=True)
        return 1
    except SQLAlchemyError as exc:
        first_line = str(exc.orig if getattr(exc, "orig", None) else exc).splitlines()[0]
        click.echo(f"sakip: kesalahan basis data (sudah menjalankan `sakip init`?): {first_line}", err=True)
        return 1
    except click.Abort:
        click.echo("sakip: dibatalkan.", err=True)
        return 1
    # Outside standalone mode Click hands back the code a command exits with (raise
    # Exit(1): `sakip check` finding problems) instead of exiting: pass it on. The
    # commands return nothing else.
    return code if type(code) is int else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
