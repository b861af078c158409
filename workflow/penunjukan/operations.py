"""The only writers of appointments: check, change, log (``audit.append``), flush; the web
handler commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import penunjukan as acting, scoping
from tenants.penunjukan import JenisPenunjukan, Penunjukan
from tenants.people import Membership, Peran, User
from tenants.satker import Satker
from tenants.teks import _
from workflow import audit
from workflow.dokumen.policy import tanggal
from workflow.errors import Ditolak, IsiTidakValid

MAX_NOMOR_SURAT = 100


def boleh_menunjuk(admin: User | None, satker: Satker) -> bool:
    """An admin of the office or of an office above (who manages its accounts)."""
    return scoping.can(admin, scoping.Aksi.KELOLA_AKUN, satker)


def _admin_membership(admin: User, satker: Satker) -> Membership:
    held = [m for m in admin.memberships if m.peran is Peran.ADMIN and satker.path.startswith(m.satker.path)]
    return max(held, key=lambda m: len(m.satker.path))  # the nearest office's admin acted


def wajib_admin(admin: User | None, satker: Satker) -> Membership:
    """The admin membership that lets ``admin`` appoint at ``satker``, or ``Ditolak``."""
    if admin is None or not boleh_menunjuk(admin, satker):
        raise Ditolak(_("Hanya admin %(satker)s atau satker di atasnya yang dapat menunjuk atau mengakhiri "
                        "Plh/Plt.", satker=satker.nama))
    return _admin_membership(admin, satker)


def _catat(session: Session, admin: User, membership: Membership, p: Penunjukan, *, aksi: str, **extra) -> None:
    rincian = {"penunjukan_id": p.id, "pelaksana_id": p.user_id, "pelaksana": p.user.username,
               "jabatan": p.jabatan, "jenis": p.jenis.value, "peran": p.peran.value, "mulai": p.mulai.isoformat(),
               "sampai": p.sampai.isoformat(), "nomor_surat": p.nomor_surat, **extra}
    audit.append(session, aksi=aksi, user_id=admin.id, username=admin.username, membership_id=membership.id,
                 peran=f"{membership.jabatan} {membership.satker.nama}", satker_kode=p.satker.kode, rincian=rincian)


def tunjuk(session: Session, admin: User | None, satker: Satker, pelaksana: User, peran: Peran,
           jenis: JenisPenunjukan, mulai: date, sampai: date, nomor_surat: str) -> Penunjukan:
    """Appoint ``pelaksana`` Plh/Plt of ``peran`` at ``satker`` from ``mulai`` to ``sampai``."""
    membership = wajib_admin(admin, satker)
    nomor_surat = (nomor_surat or "").strip()
    if not nomor_surat:
        raise IsiTidakValid(_("Nomor surat penunjukan wajib diisi."))
    if len(nomor_surat) > MAX_NOMOR_SURAT:
        raise IsiTidakValid(_("Nomor surat paling panjang %(n)s karakter.", n=MAX_NOMOR_SURAT))
    if alasan := acting.masalah(admin, pelaksana, satker, peran, mulai, sampai):
        raise IsiTidakValid(alasan)
    # Two admins appointing at once queue on the office's row (a no-op on SQLite, whose
    # writes are serial), so the overlap check below sees the other's appointment.
    session.execute(select(Satker.id).where(Satker.id == satker.id).with_for_update())
    if lain := session.scalars(acting.bertumpuk(satker.id, peran, mulai, sampai)).first():
        raise IsiTidakValid(_("Masa ini bertumpuk dengan penunjukan %(jabatan)s %(nama)s (%(mulai)s s.d. "
                              "%(sampai)s): satu jabatan hanya dapat dijalankan satu Plh/Plt pada satu waktu.",
                              jabatan=lain.sebutan, nama=lain.user.full_name, mulai=tanggal(lain.mulai),
                              sampai=tanggal(lain.sampai)))
    p = Penunjukan(user=pelaksana, satker=satker, peran=peran, jenis=jenis, mulai=mulai, sampai=sampai,
                   nomor_surat=nomor_surat, ditunjuk_oleh_id=admin.id)
    session.add(p)
    session.flush()
    _catat(session, admin, membership, p, aksi="tunjuk_pelaksana")
    return p


def akhiri(session: Session, admin: User | None, p: Penunjukan, pada: date | None = None) -> Penunjukan | None:
    """End an appointment early: one not yet started is deleted (None returned); one in
    force ends yesterday (or today, when it began today); one already over is refused."""
    membership = wajib_admin(admin, p.satker)
    pada = pada or acting.hari_ini()
    if p.sampai < pada:
        raise IsiTidakValid(_("Penunjukan ini sudah berakhir pada %(sampai)s.", sampai=tanggal(p.sampai)))
    if p.mulai > pada:
        _catat(session, admin, membership, p, aksi="hapus_pelaksana")
        session.delete(p)
        session.flush()
        return None
    semula = p.sampai
    p.sampai = max(p.mulai, acting.kemarin(pada))
    session.flush()
    _catat(session, admin, membership, p, aksi="akhiri_pelaksana", sampai_semula=semula.isoformat())
    return p
