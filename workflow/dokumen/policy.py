"""Who may do what to a document, in words a user can read.

Office-level facts (which roles a user holds where, who reviews whom) come from
``tenants.scoping``; this module adds the document rules of issue "Plans that move":

- drafting: the penyusun (Sekretaris; for the Komisi's documents the Ketua) edits
  everything; in a RAK, a subbag (Sekretariat) or divisi (Komisioner) edits the rows
  it carries out;
- submit and revise: the penyusun;
- sign: the document's signatories, in order;
- review (approve, return): a reviewer at the parent office who neither submitted nor
  signed it.

Each function returns a ``Keputusan``: the membership that grants the action (for the
audit trail) or the reason it is refused.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import object_session

from tenants import penunjukan as acting, scoping
from tenants.penunjukan import Penunjukan
from tenants.people import Membership, Peran, User
from tenants.teks import _
from workflow.dokumen.jenis import Penandatangan
from workflow.schedule import BULAN
from workflow.dokumen.models import Bentuk, Dokumen, JenisDokumen, Revisi, Sisi, Status

SEMUA = "semua"


@dataclass(frozen=True)
class Keputusan:
    membership: Membership | None = None
    alasan: str | None = None
    # Acting for the holder of the position (Plh/Plt): the appointment that grants it.
    penunjukan: Penunjukan | None = None

    @property
    def boleh(self) -> bool:
        return self.alasan is None

    def __bool__(self) -> bool:
        return self.boleh


def _boleh(membership: Membership) -> Keputusan:
    return Keputusan(membership=membership)


def _tolak(alasan: str) -> Keputusan:
    return Keputusan(alasan=alasan)


def _penyusun(user: User | None, dokumen: Dokumen) -> Membership | None:
    found = scoping.memberships_at(user, dokumen.satker, dokumen.jenis.penyusun)
    return found[0] if found else None


def nama_peran(peran: Peran, dokumen: Dokumen) -> str:
    return f"{peran.label} {dokumen.satker.nama}"


def lihat(user: User | None, dokumen: Dokumen | None) -> bool:
    return dokumen is not None and scoping.can(user, scoping.Aksi.LIHAT, dokumen.satker)


def pelaksana_milik(membership: Membership, jenis: JenisDokumen) -> str | None:
    """The pelaksana value whose RAK rows this membership may edit: a subbagian's on the
    Sekretariat's side, a divisi's on the Komisi's."""
    if jenis.bentuk is not Bentuk.RAK:
        return None
    if jenis.sisi is Sisi.SEKRETARIAT and membership.peran is Peran.SUBBAG and membership.subbagian:
        return membership.subbagian.value
    if jenis.sisi is Sisi.KOMISI and membership.peran is Peran.ANGGOTA and membership.divisi:
        return membership.divisi.value
    return None


def masih_draf(dokumen: Dokumen) -> Keputusan | None:
    """None while the document is a draft, else the refusal naming its status."""
    if dokumen.status is not Status.DRAFT:
        return _tolak(_("Dokumen berstatus %(status)s: isinya terkunci sejak diajukan. "
                        "Perubahan hanya lewat revisi baru.", status=dokumen.status.label))
    return None


def ubah_semua(user: User | None, dokumen: Dokumen) -> Keputusan:
    """Edit the whole document: header, programs, order, any row."""
    if (refused := masih_draf(dokumen)) is not None:
        return refused
    if membership := _penyusun(user, dokumen):
        return _boleh(membership)
    return _tolak(_("Hanya %(peran)s yang dapat mengubah seluruh dokumen ini.",
                    peran=nama_peran(dokumen.jenis.penyusun, dokumen)))


def ubah_baris(user: User | None, dokumen: Dokumen, pelaksana: str | None) -> Keputusan:
    """Edit (or add, or remove) a RAK row carried out by ``pelaksana``."""
    everything = ubah_semua(user, dokumen)
    if everything or dokumen.status is not Status.DRAFT:
        return everything
    if dokumen.jenis.bentuk is Bentuk.RAK and pelaksana and pelaksana != SEMUA:
        for membership in scoping.memberships_at(user, dokumen.satker, Peran.SUBBAG, Peran.ANGGOTA):
            if pelaksana_milik(membership, dokumen.jenis) == pelaksana:
                return _boleh(membership)
    peran = nama_peran(dokumen.jenis.penyusun, dokumen)
    if dokumen.jenis.sisi is Sisi.SEKRETARIAT:
        return _tolak(_("Baris ini hanya dapat diubah oleh subbagian pelaksananya atau %(peran)s.", peran=peran))
    return _tolak(_("Baris ini hanya dapat diubah oleh divisi pelaksananya atau %(peran)s.", peran=peran))


def unit_pelaksana(user: User | None, dokumen: Dokumen) -> set[str]:
    """The pelaksana values whose RAK rows ``user`` carries out at this office."""
    found = (pelaksana_milik(m, dokumen.jenis) for m in scoping.memberships_at(user, dokumen.satker))
    return {p for p in found if p}


def tambah_baris(user: User | None, dokumen: Dokumen) -> Keputusan:
    """Open the new-row editor: the penyusun, or a unit that carries out RAK rows."""
    everything = ubah_semua(user, dokumen)
    if everything or dokumen.status is not Status.DRAFT or dokumen.jenis.bentuk is not Bentuk.RAK:
        return everything
    units = scoping.memberships_at(user, dokumen.satker, Peran.SUBBAG, Peran.ANGGOTA)
    granted = next((m for m in units if pelaksana_milik(m, dokumen.jenis)), None)
    return _boleh(granted) if granted else everything


def boleh_menyunting(user: User | None, dokumen: Dokumen) -> bool:
    """Whether the editor should be offered at all (everything, or some rows)."""
    if dokumen.status is not Status.DRAFT:
        return False
    return bool(tambah_baris(user, dokumen))


def ajukan(user: User | None, dokumen: Dokumen) -> Keputusan:
    if membership := _penyusun(user, dokumen):
        return _boleh(membership)
    return _tolak(_("Hanya %(peran)s yang dapat mengajukan dokumen ini.", peran=nama_peran(dokumen.jenis.penyusun, dokumen)))


def turunkan(user: User | None, dokumen: Dokumen) -> Keputusan:
    """Cascade a PK to the offices below: its penyusun."""
    if membership := _penyusun(user, dokumen):
        return _boleh(membership)
    return _tolak(_("Hanya %(peran)s yang dapat menurunkan dokumen ini.", peran=nama_peran(dokumen.jenis.penyusun, dokumen)))


def boleh_membuat(user: User | None, satker, jenis: JenisDokumen) -> bool:
    return bool(scoping.memberships_at(user, satker, jenis.penyusun))


def revisi(user: User | None, dokumen: Dokumen) -> Keputusan:
    if membership := _penyusun(user, dokumen):
        return _boleh(membership)
    return _tolak(_("Hanya %(peran)s yang dapat membuka revisi dokumen ini.",
                    peran=nama_peran(dokumen.jenis.penyusun, dokumen)))


def penandatangan_berikut(dokumen: Dokumen, revisi_aktif: Revisi) -> Penandatangan | None:
    urutan = dokumen.jenis.penandatangan
    signed = len(revisi_aktif.tanda_tangan)
    return urutan[signed] if signed < len(urutan) else None


def tandatangani(user: User | None, dokumen: Dokumen, revisi_aktif: Revisi) -> Keputusan:
    berikut = penandatangan_berikut(dokumen, revisi_aktif)
    if berikut is None:
        return _tolak(_("Semua penanda tangan sudah menandatangani dokumen ini."))
    # Pihak Pertama and Pihak Kedua (KPA and the Ketua who acknowledges) are two people,
    # even when one account holds both roles.
    if user is not None and any(t.user_id == user.id for t in revisi_aktif.tanda_tangan):
        return _tolak(_("Anda sudah menandatangani dokumen ini; tanda tangan berikutnya (%(kapasitas)s) harus oleh "
                        "orang lain.", kapasitas=berikut.kapasitas.label))
    if found := scoping.memberships_at(user, dokumen.satker, berikut.peran):
        return _boleh(found[0])
    if (acting_for := _sebagai_pelaksana(user, dokumen, berikut.peran)) is not None:
        return acting_for
    return _tolak(_("Giliran tanda tangan berikutnya: %(kapasitas)s (%(peran)s).", kapasitas=berikut.kapasitas.label,
                    peran=nama_peran(berikut.peran, dokumen)))


def tanggal(value) -> str:
    """A date as letters are dated: 13 Januari 2024."""
    bulan = _(BULAN[value.month - 1])
    return f"{value.day} {bulan} {value.year}"


def _sebagai_pelaksana(user: User | None, dokumen: Dokumen, peran: Peran) -> Keputusan | None:
    """Signing as Plh/Plt of ``peran``: granted within the appointment's period to a member
    of the office; refused naming the period outside it; None without any appointment."""
    held = scoping.memberships_at(user, dokumen.satker)
    if not held or peran not in acting.POSISI:
        return None
    appointments = acting.milik(object_session(dokumen), user, dokumen.satker_id, peran)
    if not appointments:
        return None
    today = acting.hari_ini()
    if current := next((p for p in appointments if p.berlaku_pada(today)), None):
        return Keputusan(membership=held[0], penunjukan=current)
    last = appointments[-1]
    return _tolak(_("Penunjukan Anda sebagai %(jabatan)s berlaku %(mulai)s s.d. %(sampai)s; hari ini di luar masa "
                    "itu, jadi Anda tidak dapat menandatangani sebagai %(sebutan)s.", jabatan=last.jabatan,
                    mulai=tanggal(last.mulai), sampai=tanggal(last.sampai), sebutan=last.sebutan))


def tinjau(user: User | None, dokumen: Dokumen, revisi_aktif: Revisi) -> Keputusan:
    membership = scoping.reviewer_membership(user, dokumen.satker)
    if membership is None:
        return _tolak(_("Hanya reviewer di satker induk yang dapat meninjau dokumen ini."))
    if user is not None and revisi_aktif.diajukan_oleh_id == user.id:
        return _tolak(_("Yang mengajukan dokumen tidak boleh meninjaunya sendiri."))
    # Rights add up, except here: a signer who also reviews at the parent office would
    # approve their own signature.
    if user is not None and any(t.user_id == user.id for t in revisi_aktif.tanda_tangan):
        return _tolak(_("Yang menandatangani dokumen tidak boleh meninjaunya sendiri: tinjauan harus oleh reviewer "
                        "lain di satker induk."))
    return _boleh(membership)


def terlihat(user: User | None):
    """WHERE clause on Dokumen: the documents of the offices ``user`` may see."""
    return Dokumen.satker_id.in_(scoping.satker_ids(user))


def ditinjau(user: User | None):
    """WHERE clause on Dokumen: documents of offices ``user`` reviews."""
    return Dokumen.satker_id.in_(scoping.satker_ids(user, scoping.Aksi.TINJAU))


# -- realisation (issue 4): what offices achieved, entered after the PK is signed ----------

STATUS_REALISASI = (Status.SIGNED, Status.REVIEWED)


def unit_realisasi(membership: Membership, dokumen: Dokumen) -> str | None:
    """The pelaksana value (subbagian on the Sekretariat's side, divisi on the Komisi's)
    whose indikator and RAK rows this membership reports on."""
    if dokumen.jenis.sisi is Sisi.SEKRETARIAT and membership.peran is Peran.SUBBAG and membership.subbagian:
        return membership.subbagian.value
    if dokumen.jenis.sisi is Sisi.KOMISI and membership.peran is Peran.ANGGOTA and membership.divisi:
        return membership.divisi.value
    return None


def isi_realisasi(user: User | None, dokumen: Dokumen, pelaksana: str | None) -> Keputusan:
    """Enter the realisation of an indikator (PK) or the money spent on a RAK row carried
    out by ``pelaksana``: the penyusun, or the subbag/divisi that carries it; only once the
    document is signed (or reviewed)."""
    if dokumen.jenis.bentuk not in (Bentuk.PK, Bentuk.RAK):
        return _tolak(_("Realisasi hanya diisi pada Perjanjian Kinerja dan Rencana Aksi Kinerja."))
    if dokumen.status not in STATUS_REALISASI:
        return _tolak(_("Realisasi baru dapat diisi setelah %(jenis)s ditandatangani (status sekarang: %(status)s).",
                        jenis=dokumen.jenis.label, status=dokumen.status.label))
    if membership := _penyusun(user, dokumen):
        return _boleh(membership)
    if pelaksana and pelaksana != SEMUA:
        for membership in scoping.memberships_at(user, dokumen.satker, Peran.SUBBAG, Peran.ANGGOTA):
            if unit_realisasi(membership, dokumen) == pelaksana:
                return _boleh(membership)
    peran = nama_peran(dokumen.jenis.penyusun, dokumen)
    if dokumen.jenis.sisi is Sisi.SEKRETARIAT:
        return _tolak(_("Realisasi ini hanya dapat diisi oleh subbagian pelaksananya atau %(peran)s.", peran=peran))
    return _tolak(_("Realisasi ini hanya dapat diisi oleh divisi pelaksananya atau %(peran)s.", peran=peran))


def boleh_isi_realisasi(user: User | None, dokumen: Dokumen) -> bool:
    """Whether the realisation form should offer ``user`` anything at all in this document."""
    if dokumen.jenis.bentuk not in (Bentuk.PK, Bentuk.RAK) or dokumen.status not in STATUS_REALISASI:
        return False
    if _penyusun(user, dokumen):
        return True
    return any(unit_realisasi(m, dokumen) for m in scoping.memberships_at(user, dokumen.satker))
