"""The calendar's writers: setting a due date (``atur``) and reminding the offices below
that have not submitted (``ingatkan``). They check, change, log with ``workflow.audit``,
flush, and never commit (the page commits through ``webapp.common.saving``).

Who sets what (docs/akses.md, "Jadwal"): an admin of KPU RI sets the national calendar;
an admin or a reviewer of a province sets earlier dates for its kabupaten/kota (the
reviewers are the ones who chase them). A kabupaten/kota has nobody below it to set for.
Who reminds: a reviewer or an admin of the office directly above the reminded ones.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import scoping
from tenants.people import Membership, Peran, User
from tenants.satker import KODE_RI, Satker, Tingkat
from tenants.teks import _
from workflow import audit
from workflow.dokumen.models import JenisDokumen
from workflow.errors import Ditolak, IsiTidakValid
from workflow.jadwal import queries
from workflow.jadwal.models import Butir, Jadwal, Pengingat

HARI_MAKS = 28  # a day every month has (realisation due "day N of the following month")


def boleh_atur(user: User, satker: Satker) -> Membership | str:
    """The membership that lets ``user`` set ``satker``'s calendar, or the reason not."""
    if satker.tingkat is Tingkat.KABKOTA:
        return _("Satker kabupaten/kota tidak mempunyai satker di bawahnya untuk diberi jadwal.")
    peran = {Peran.ADMIN} if satker.kode == KODE_RI else {Peran.ADMIN, Peran.REVIEWER}
    held = scoping.memberships_at(user, satker, *peran)
    if held:
        return held[0]
    if satker.kode == KODE_RI:
        return _("Hanya admin KPU RI yang dapat mengatur jadwal nasional.")
    return _("Hanya admin atau reviewer %(nama)s yang dapat mengatur jadwalnya.", nama=satker.nama)


def boleh_ingatkan(user: User, induk: Satker) -> Membership | str:
    held = scoping.memberships_at(user, induk, Peran.REVIEWER, Peran.ADMIN)
    return held[0] if held else _("Hanya reviewer atau admin %(nama)s yang dapat mengingatkan satker di bawahnya.",
                                  nama=induk.nama)


def _izin(hasil: Membership | str) -> Membership:
    if isinstance(hasil, str):
        raise Ditolak(hasil)
    return hasil


def _periksa_nilai(satker: Satker, tahun: int, butir: Butir, nilai: date | int, induk: date | int | None) -> None:
    if butir.berhari:
        if not isinstance(nilai, int) or not 1 <= nilai <= HARI_MAKS:
            raise IsiTidakValid(_("%(butir)s: isi angka 1 sampai %(maks)s.", butir=butir.label, maks=HARI_MAKS))
    elif not isinstance(nilai, date) or nilai.year not in (tahun, tahun + 1):
        raise IsiTidakValid(_("%(butir)s: isi tanggal pada tahun %(tahun)s atau %(berikut)s.",
                              butir=butir.label, tahun=tahun, berikut=tahun + 1))
    if induk is not None and nilai > induk:
        raise IsiTidakValid(_("%(butir)s: %(nama)s hanya boleh menetapkan jadwal yang lebih awal dari jadwal "
                              "satker induknya (%(induk)s), tidak lebih lambat.",
                              butir=butir.label, nama=satker.nama, induk=_teks_nilai(butir, induk)))


def _teks_nilai(butir: Butir, nilai: date | int | None) -> str:
    if nilai is None:
        return "-"
    if butir is Butir.TINJAUAN:
        return _("%(n)s hari kerja", n=nilai)
    if butir.berhari:
        return _("tanggal %(n)s", n=nilai)
    return nilai.strftime("%d-%m-%Y")


def atur(session: Session, satker: Satker, tahun: int, butir: Butir, nilai: date | int | None,
         user: User) -> Jadwal | None:
    """Set (or, with None, clear: back to the date from above) one item of ``satker``'s
    calendar for ``tahun``; a province's never later than what applies to it from above."""
    membership = _izin(boleh_atur(user, satker))
    if nilai is not None:
        _periksa_nilai(satker, tahun, butir, nilai, queries.nilai_berlaku(session, satker, tahun, butir)
                       if satker.kode != KODE_RI else None)
    row = session.scalar(select(Jadwal).where(Jadwal.satker_id == satker.id, Jadwal.tahun == tahun,
                                              Jadwal.butir == butir))
    lama = row.nilai if row else None
    if lama == nilai:
        return row
    if nilai is None:
        session.delete(row)
        row = None
    else:
        row = row or Jadwal(satker_id=satker.id, tahun=tahun, butir=butir)
        row.tanggal, row.hari = (None, nilai) if butir.berhari else (nilai, None)
        row.diubah_oleh_id = user.id
        session.add(row)
    _catat(session, user, membership, satker,
           {"tahun": tahun, "butir": butir.value, "dari": lama, "ke": nilai}, aksi="ubah_jadwal")
    return row


def _catat(session: Session, user: User, membership: Membership, satker: Satker, rincian: dict, *, aksi: str) -> None:
    # No document: the calendar belongs to the office (audit.catat is a document's entry).
    audit.append(session, aksi=aksi, user_id=user.id, username=user.username, membership_id=membership.id,
                 peran=membership.jabatan, satker_kode=satker.kode, rincian=rincian)


def ingatkan(session: Session, induk: Satker, tahun: int, jenis: JenisDokumen, kode: list[str] | None,
             user: User, pada: date | None = None) -> list[Satker]:
    """Record a reminder to each office below ``induk`` (those of ``kode``, or all when None)
    that has not submitted its ``jenis`` of ``tahun``; returns the offices reminded. Sending
    it (in the app, by e-mail) is the notifications' part."""
    membership = _izin(boleh_ingatkan(user, induk))
    data = queries.kepatuhan(session, induk, tahun, jenis, pada)
    belum = {queries.Keadaan.BELUM_MENGAJUKAN, queries.Keadaan.BELUM_JATUH_TEMPO}
    sasaran = [b.satker for b in data.baris if b.keadaan in belum and (kode is None or b.satker.kode in kode)]
    if kode is not None and not sasaran:
        raise IsiTidakValid(_("Tidak ada satker yang belum mengajukan di antara yang dipilih."))
    for satker in sasaran:
        session.add(Pengingat(satker_id=satker.id, tahun=tahun, jenis=jenis.value, oleh_id=user.id,
                              oleh_satker_id=induk.id))
        _catat(session, user, membership, satker,
               {"tahun": tahun, "jenis": jenis.value, "oleh_satker": induk.kode}, aksi="ingatkan")
    session.flush()
    return sasaran
