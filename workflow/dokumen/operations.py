"""Every change to a document goes through here: they check, change, log and flush;
the caller commits.

Each function takes the version of the document the user was looking at (``versi``)
when there is one: if someone saved or moved the document since, it raises
``Konflik`` and changes nothing. The editors of a row, a sasaran, an indikator and the
header send instead what they showed of that part (``sidik``, workflow.dokumen.sidik): only a
change to that part is a conflict. Transitions are driven only from ``transisi``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, bindparam, inspect, select
from sqlalchemy.orm import Load, Session, joinedload, lazyload

from tenants.people import Divisi, Membership, Subbagian, User
from tenants.satker import Satker
from tenants.teks import N_, _
from workflow import audit, schedule
from workflow.audit import catat
from workflow.capaian import CaraAgregasi
from workflow.dokumen import bab_lkj as lkj, policy, sidik as sidik_isi, target_periode as target_periode_isi
from workflow.dokumen.content import Indikator, Kegiatan, ProgramAnggaran, RakBaris, Sasaran
from workflow.dokumen.flow import EVENT_KONFIRMASI, EVENT_LABELS, DocumentFlow, SebelumKunci
from workflow.dokumen.immutability import TRANSITION_FLAG
from workflow.dokumen.models import AlasanRevisi, Bentuk, Dokumen, JenisDokumen, Revisi, Sisi
from workflow.dokumen.queries import bentuk_jadwal_kantor, bentuk_jadwal_kolom, cari_dokumen, ingat_bentuk_jadwal
from workflow.dokumen.revisions import buka_revisi
from workflow.dokumen.versi import periksa_versi, sentuh
from workflow.errors import Ditolak, IsiTidakValid
from workflow.rupiah import MAX_BIAYA
from workflow.schedule import BentukJadwal
from workflow.target import MAX_TARGET, JenisTarget, Polaritas, Target, TargetError, baca_target, lebih_buruk

KODE_OUTPUT = re.compile(r"^[A-Z]{2}\.\d{4}\.[A-Z]{3}\.\d{3}$")


# -- loading ------------------------------------------------------------------------

def _require(decision: policy.Keputusan) -> Membership:
    if not decision:
        raise Ditolak(decision.alasan)
    return decision.membership


# -- creating -------------------------------------------------------------------------

def buat_dokumen(session: Session, satker: Satker, tahun: int, jenis: JenisDokumen, user: User | None) -> Dokumen:
    """Start a document with its Revisi ke-0. ``user`` None is the system (demo, import)."""
    if cari_dokumen(session, satker, tahun, jenis) is not None:
        raise Ditolak(_("%(jenis)s %(satker)s tahun %(tahun)s sudah ada.", jenis=jenis.label, satker=satker.nama,
                        tahun=tahun))
    dokumen = Dokumen(satker=satker, tahun=tahun, jenis=jenis)
    membership = None
    if user is not None:
        membership = _require(policy.ajukan(user, dokumen))
    revisi = buka_revisi(dokumen, AlasanRevisi.AWAL, None, user.id if user else None, dari=None)
    if jenis.bentuk is Bentuk.RAK:
        revisi.bentuk_jadwal = bentuk_jadwal_kantor(session, satker, tahun)
    if jenis.bentuk is Bentuk.LKJ:
        revisi.lkj = lkj.isi_baru(satker, tahun)
    session.add(dokumen)
    session.flush()
    catat(session, dokumen, user, membership, aksi="buat", ke=dokumen.status.value)
    return dokumen


# -- transitions ----------------------------------------------------------------------

# What a form computes into its content as it is submitted (the LKj freezes its tables).
# Filled by the package that owns the computation (workflow/lkj/__init__.py): the
# document knows no report, the report knows the document.
SEBELUM_KUNCI: dict[Bentuk, SebelumKunci] = {}
# What follows a transition in its own transaction (the notifications of whoever must act
# next, workflow/notifikasi/__init__.py): called after the flush with the document, the
# event, the user and what the step was given plus ``revisi`` (the revision it was made on).
SESUDAH_TRANSISI: list[Callable[[Session, Dokumen, str, User, dict], None]] = []


def transisi(session: Session, dokumen: Dokumen, event: str, user: User, *, versi: int | None = None,
             hash_dibaca: str | None = None, **kwargs) -> Dokumen:
    """The only caller of the state machine."""
    if event not in EVENT_LABELS:
        raise Ditolak(_("Aksi tidak dikenal."))
    periksa_versi(session, dokumen, versi)
    flow = DocumentFlow(dokumen, session, sebelum_kunci=SEBELUM_KUNCI.get(dokumen.jenis.bentuk))
    if event not in {e.id for e in flow.allowed_events}:
        raise Ditolak(_("Dokumen berstatus %(status)s: aksi '%(aksi)s' tidak tersedia.", status=dokumen.status.label,
                        aksi=_(EVENT_LABELS[event])))
    if event == "sign":
        kwargs["hash_dibaca"] = hash_dibaca
    dokumen.__dict__[TRANSITION_FLAG] = True
    try:
        flow.send(event, user=user, **kwargs)
        sentuh(dokumen)
        session.flush()
    finally:
        dokumen.__dict__.pop(TRANSITION_FLAG, None)
    for sesudah in SESUDAH_TRANSISI:
        sesudah(session, dokumen, event, user, {**kwargs, "revisi": flow.revisi})
    return dokumen


def sudah_dilakukan(session: Session, dokumen: Dokumen, event: str, user: User | None, versi: int | None) -> bool:
    """Whether ``user`` already made ``event`` on this document from version ``versi``:
    the second click of a double-click, or the same button pressed again on the same page.
    It is answered with the first one's result, not as someone else's change."""
    if user is None or versi is None or versi == dokumen.versi:
        return False
    rincian = session.scalar(
        select(audit.AuditEntry.rincian)
        .where(audit.AuditEntry.dokumen_id == dokumen.id, audit.AuditEntry.aksi == event,
               audit.AuditEntry.user_id == user.id)
        .order_by(audit.AuditEntry.seq.desc()).limit(1))
    return bool(rincian) and json.loads(rincian).get("dari_versi") == versi


def ajukan(session, dokumen, user, **kw):
    return transisi(session, dokumen, "submit", user, **kw)


def tandatangani(session, dokumen, user, **kw):
    return transisi(session, dokumen, "sign", user, **kw)


def setujui(session, dokumen, user, **kw):
    return transisi(session, dokumen, "approve", user, **kw)


def kembalikan(session, dokumen, user, alasan: str, **kw):
    return transisi(session, dokumen, "send_back", user, alasan=alasan, **kw)


def revisi(session, dokumen, user, alasan_jenis: AlasanRevisi, alasan: str | None = None, **kw):
    return transisi(session, dokumen, "revise", user, alasan_jenis=alasan_jenis, alasan=alasan, **kw)


EVENTS_FROM = {state.value: {t.event for t in state.transitions} for state in DocumentFlow.states}


@dataclass(frozen=True)
class Tombol:
    event: str
    label: str
    konfirmasi: str | None = None  # the question asked before a step that cannot be taken back


def tombol(dokumen: Dokumen, revisi_aktif: Revisi, user: User | None) -> list[Tombol]:
    """Exactly the transitions this user may press now."""
    decide = {
        "submit": lambda: policy.ajukan(user, dokumen),
        "sign": lambda: policy.tandatangani(user, dokumen, revisi_aktif),
        "approve": lambda: policy.tinjau(user, dokumen, revisi_aktif),
        "send_back": lambda: policy.tinjau(user, dokumen, revisi_aktif),
        "revise": lambda: policy.revisi(user, dokumen),
    }
    allowed = EVENTS_FROM[dokumen.status]
    return [Tombol(e, _(EVENT_LABELS[e]), _(EVENT_KONFIRMASI[e]) if e in EVENT_KONFIRMASI else None)
            for e in EVENT_LABELS if e in allowed and decide[e]()]


# -- editing ---------------------------------------------------------------------------

def _edit(session: Session, dokumen: Dokumen, versi: int | None, decision: policy.Keputusan) -> Membership:
    periksa_versi(session, dokumen, versi)
    return _require(decision)


# A save on a part that changed since it was opened, by what it edits (workflow.dokumen.sidik).
_BERUBAH = {
    "baris": N_("Baris ini telah diubah oleh %(siapa)s sejak Anda membukanya. Isian Anda belum disimpan: periksa "
                "perubahan terbaru, lalu simpan lagi."),
    "sasaran": N_("Sasaran ini telah diubah oleh %(siapa)s sejak Anda membukanya. Isian Anda belum disimpan: "
                  "periksa perubahan terbaru, lalu simpan lagi."),
    "indikator": N_("Indikator ini telah diubah oleh %(siapa)s sejak Anda membukanya. Isian Anda belum disimpan: "
                    "periksa perubahan terbaru, lalu simpan lagi."),
    "kepala": N_("Kepala dokumen ini telah diubah oleh %(siapa)s sejak Anda membukanya. Isian Anda belum "
                 "disimpan: periksa perubahan terbaru, lalu simpan lagi."),
    "dokumen": N_("Dokumen ini telah diubah oleh %(siapa)s sejak Anda membukanya. Isian Anda belum disimpan: "
                  "periksa perubahan terbaru, lalu simpan lagi."),
}
# Who last changed a part: the header's edits, or a step that opened another revision.
_AKSI_KEPALA = ("ubah_kepala", "ubah_program", "send_back", "revise")


def _boleh_tulis(session: Session, dokumen: Dokumen, dikirim: str | None, sebelum: str, sesudah: str, apa: str,
                 kunci: str | None = None) -> bool:
    """Whether a save whose editor showed the part with fingerprint ``dikirim`` writes:
    yes when that part is as it was shown (other parts may have changed meanwhile); no
    when it already reads as the save would leave it (the second click of a double-click);
    otherwise ``BerubahSejakDibuka``, naming who changed it last. ``dikirim`` None: a form
    without a fingerprint, checked by the document's version instead."""
    if dikirim is None or dikirim == sebelum:
        return True
    if sesudah == sebelum:
        return False
    raise _berubah(session, dokumen, sebelum, apa, kunci)


def _berubah(session: Session, dokumen: Dokumen, sekarang: str, apa: str,
             kunci: str | None = None) -> sidik_isi.BerubahSejakDibuka:
    """The refusal of a save on a part changed since it was opened, naming who changed it."""
    query = (select(audit.AuditEntry.username).where(audit.AuditEntry.dokumen_id == dokumen.id)
             .order_by(audit.AuditEntry.seq.desc()).limit(1))
    if apa == "kepala":
        query = query.where(audit.AuditEntry.aksi.in_(_AKSI_KEPALA))
    elif kunci is not None:  # the row itself, or what it is read in: its revision, the schedule shape
        query = query.where(audit.AuditEntry.rincian.contains(f'"kunci": "{kunci}"', autoescape=True)
                            | audit.AuditEntry.aksi.in_(_AKSI_KEPALA))
    with session.no_autoflush:  # what this save applied is to be refused, not written
        siapa = session.scalar(query) or _("orang lain")
    return sidik_isi.BerubahSejakDibuka(_(_BERUBAH[apa], siapa=siapa), sekarang)


def _bersih(text: str | None, nama: str, wajib: bool = False, maks: int = 4000) -> str | None:
    """``text`` with its spaces folded; ``nama`` (already in the reader's language) names the
    field in the refusal."""
    text = " ".join((text or "").split())
    if wajib and not text:
        raise IsiTidakValid(_("%(nama)s wajib diisi.", nama=nama))
    if len(text) > maks:
        raise IsiTidakValid(_("%(nama)s terlalu panjang (paling banyak %(maks)s karakter).", nama=nama, maks=maks))
    return text or None


def _log_edit(session, dokumen, user, membership, aksi: str, **rincian) -> None:
    sentuh(dokumen)
    session.flush()
    catat(session, dokumen, user, membership, aksi=aksi, rincian=rincian or None)


@dataclass
class Kepala:
    tempat: str | None = None
    tanggal: date | None = None
    dipa_nomor: str | None = None
    dipa_tanggal: date | None = None
    pagu: int | None = None
    bentuk_jadwal: BentukJadwal | None = None


def ubah_kepala(session: Session, dokumen: Dokumen, user: User, kepala: Kepala, versi: int | None) -> None:
    """Replace the whole header (as the form posts it: a field left None is cleared)."""
    membership = _edit(session, dokumen, versi, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    if kepala.pagu is not None and not 0 <= kepala.pagu < MAX_BIAYA:
        raise IsiTidakValid(_("Pagu harus berupa jumlah rupiah yang tidak negatif."))
    baru = {}
    for name, value in vars(kepala).items():
        if name == "bentuk_jadwal" and (dokumen.jenis.bentuk is not Bentuk.RAK or value is None):
            continue
        if dokumen.jenis.bentuk is Bentuk.LKJ and name in ("dipa_nomor", "dipa_tanggal", "pagu"):
            continue  # a report states no budget of its own: its tables read the PK and the RAK
        if type(value) is str:  # noqa: E721 - enums are str too, and must stay enums
            value = _bersih(value, _(_KEPALA_LABEL.get(name, name)), maks=80)
        if getattr(revisi, name) != value:
            baru[name] = value
    # Only a date being changed is checked: a draft dated before the rule existed can still
    # be saved (and an import that re-sends its stored dates applied).
    for name, label in (("tanggal", N_("Tanggal")), ("dipa_tanggal", N_("Tanggal DIPA"))):
        if baru.get(name) is not None:
            _periksa_tanggal(dokumen.tahun, _(label), baru[name])
    changes = {}
    for name, value in baru.items():
        changes[name] = [str(getattr(revisi, name) or ""), str(value or "")]
        setattr(revisi, name, value)
    if changes:
        _log_edit(session, dokumen, user, membership, "ubah_kepala", perubahan=changes)


def simpan_kepala(session: Session, dokumen: Dokumen, user: User, kepala: Kepala, daftar: Sequence[ProgramData], *,
                  versi: int | None = None, sidik: str | None = None) -> None:
    """The header editor's save: the header and the programs, refused only when they changed
    since the editor showed them (``sidik``, workflow.dokumen.sidik.kepala), not for a row saved
    meanwhile."""
    _edit(session, dokumen, versi if sidik is None else None, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    sebelum = sidik_isi.kepala(revisi)
    ubah_kepala(session, dokumen, user, kepala, versi=None)
    simpan_program(session, dokumen, user, daftar, versi=None)
    # Written first, compared after: a stale save that changed something is rolled back
    # by the caller with this refusal; one that changed nothing wrote and logged nothing.
    _boleh_tulis(session, dokumen, sidik, sebelum, sidik_isi.kepala(revisi), "kepala")


# The header's text fields as the form names them, for a refusal.
_KEPALA_LABEL = {"tempat": N_("Tempat"), "dipa_nomor": N_("Nomor DIPA")}


def _periksa_tanggal(tahun: int, nama: str, value: date) -> None:
    """A year's documents are dated from the year before (a DIPA of November, a PK signed
    before 1 January) to the year after (the LKj): anything else is a typing slip, such as
    2204 for 2024, that would otherwise be printed on the signed paper."""
    if not tahun - 1 <= value.year <= tahun + 1:
        raise IsiTidakValid(_("%(nama)s %(tanggal)s tidak sesuai dokumen tahun %(tahun)s: isi tanggal pada tahun "
                              "%(dari)s sampai %(sampai)s.", nama=nama, tanggal=value.strftime("%d-%m-%Y"),
                              tahun=tahun, dari=tahun - 1, sampai=tahun + 1))


@dataclass
class ProgramData:
    kode: str
    nama: str
    anggaran: int


def simpan_program(session: Session, dokumen: Dokumen, user: User, daftar: Sequence[ProgramData],
                   versi: int | None) -> None:
    membership = _edit(session, dokumen, versi, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    for no, p in enumerate(daftar, start=1):
        if not 0 <= p.anggaran < MAX_BIAYA:
            raise IsiTidakValid(_("Program %(no)s: anggaran harus berupa jumlah rupiah yang tidak negatif.", no=no))
    baru = [(_bersih(p.kode, _("Kode program %(no)s", no=no), True, 20),
             _bersih(p.nama, _("Nama program %(no)s", no=no), True, 255), p.anggaran)
            for no, p in enumerate(daftar, start=1)]
    if baru == [(p.kode, p.nama, p.anggaran) for p in revisi.program]:
        return  # the header form posts the programs with every save: nothing to write or log
    revisi.program = [ProgramAnggaran(urutan=no, kode=kode, nama=nama, anggaran=anggaran)
                      for no, (kode, nama, anggaran) in enumerate(baru, start=1)]
    _log_edit(session, dokumen, user, membership, "ubah_program", program=[list(p) for p in baru])


SATUAN_MAX = 40


def _isi_target(row, target_text: str, polaritas: Polaritas) -> None:
    try:
        target = baca_target(target_text)
    except TargetError as exc:
        raise IsiTidakValid(_("Target: %(masalah)s.", masalah=exc)) from None
    # Stored exactly as read, or the signed hash would not match the stored row.
    if target.nilai is not None and not -MAX_TARGET < target.nilai < MAX_TARGET:
        raise IsiTidakValid(_("Target: angkanya terlalu besar."))
    if target.nilai is not None and target.nilai.normalize().as_tuple().exponent < -4:
        raise IsiTidakValid(_("Target: paling banyak 4 angka di belakang koma."))
    if target.satuan and len(target.satuan) > SATUAN_MAX:
        raise IsiTidakValid(_("Target: satuan paling banyak %(n)s karakter.", n=SATUAN_MAX))
    row.jenis_target, row.target_nilai, row.target_kode = target.jenis, target.nilai, target.kode
    row.satuan, row.polaritas = target.satuan, polaritas


def _urutan_berikut(rows) -> int:
    return max((r.urutan for r in rows), default=0) + 1


def _by_kunci(rows, kunci: str, what: str):
    """The row ``kunci`` of ``rows``; ``what`` (marked with N_) names it in the refusal."""
    found = next((r for r in rows if r.kunci == kunci), None)
    if found is None:
        raise Ditolak(_("%(apa)s tidak ditemukan di revisi ini.", apa=_(what)))
    return found


def simpan_sasaran(session: Session, dokumen: Dokumen, user: User, uraian: str, tujuan: str | None = None,
                   kunci: str | None = None, versi: int | None = None, *, sidik: str | None = None) -> Sasaran:
    """Add or change a sasaran; ``sidik``: the fingerprint of the sasaran as the editor
    showed it (workflow.dokumen.sidik), else ``versi`` is checked."""
    membership = _edit(session, dokumen, versi if sidik is None else None, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    if kunci is None:
        sebelum = sidik_isi.sasaran(revisi, None)
        sasaran = Sasaran(urutan=_urutan_berikut(revisi.sasaran))
        revisi.sasaran.append(sasaran)
    else:
        sasaran = _by_kunci(revisi.sasaran, kunci, N_("Sasaran"))
        sebelum = sidik_isi.sasaran(revisi, sasaran)
    sasaran.uraian = _bersih(uraian, _("Uraian sasaran"), True)
    sasaran.tujuan = _bersih(tujuan, _("Tujuan"))
    if not _boleh_tulis(session, dokumen, sidik, sebelum, sidik_isi.sasaran(revisi, sasaran),
                        "sasaran" if kunci else "dokumen", kunci):
        return sasaran
    _log_edit(session, dokumen, user, membership, "tambah_sasaran" if kunci is None else "ubah_sasaran",
              kunci=sasaran.kunci, uraian=sasaran.uraian)
    return sasaran


def simpan_indikator(session: Session, dokumen: Dokumen, user: User, sasaran_kunci: str, uraian: str,
                     target: str, polaritas: Polaritas = Polaritas.NAIK, kunci: str | None = None,
                     versi: int | None = None, induk_target: str | None = None, pelaksana: str | None = None,
                     cara_agregasi: str | None = None, *, sidik: str | None = None,
                     target_periode: Sequence[str] | None = None, alasan_target_periode: str | None = None) -> Indikator:
    """Add or change an indikator. ``induk_target`` takes a changed parent target over
    (workflow.dokumen.cascade); otherwise an inherited indikator keeps the one it was given.

    ``pelaksana`` (the subbagian or divisi that enters its realisation) and ``cara_agregasi``
    (a workflow.capaian.CaraAgregasi value): None leaves them as they are, so callers that
    do not know them (cascade, import) keep the penyusun's choice; "" clears them (the
    penyusun enters; periods add up by the kind of target). An inherited indikator chooses
    its own. ``sidik``: the fingerprint of the indikator as the editor showed it
    (workflow.dokumen.sidik), else ``versi`` is checked. ``target_periode``: the targets to
    date per quarter or month as typed (workflow.dokumen.target_periode; None leaves them,
    all empty clears them) with ``alasan_target_periode`` beside them."""
    membership = _edit(session, dokumen, versi if sidik is None else None, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    sasaran = _by_kunci(revisi.sasaran, sasaran_kunci, N_("Sasaran"))
    if kunci is None:
        sebelum = sidik_isi.indikator(revisi, sasaran, None)
        indikator = Indikator(urutan=_urutan_berikut(sasaran.indikator), revisi=revisi)
        sasaran.indikator.append(indikator)
    else:
        indikator = _by_kunci(sasaran.indikator, kunci, N_("Indikator"))
        sebelum = sidik_isi.indikator(revisi, sasaran, indikator)
        if indikator.induk_kunci and polaritas is not indikator.polaritas:
            # The cascade rule reads "below the parent" in the parent's direction.
            raise Ditolak(_("Arah indikator yang diturunkan dari satker di atas mengikuti induknya."))
    indikator.uraian = _bersih(uraian, _("Uraian indikator"), True)
    _isi_target(indikator, target, polaritas)
    _isi_pelaksana_agregasi(indikator, dokumen.jenis, pelaksana, cara_agregasi)
    if induk_target is not None:
        indikator.induk_target = induk_target
    if target_periode is not None:
        target_periode_isi.isi(indikator, target_periode, alasan_target_periode)
    _periksa_target_anak(indikator)
    _periksa_periode_anak(session, indikator)
    if not _boleh_tulis(session, dokumen, sidik, sebelum, sidik_isi.indikator(revisi, sasaran, indikator),
                        "indikator" if kunci else "dokumen", kunci):
        return indikator
    _log_edit(session, dokumen, user, membership, "tambah_indikator" if kunci is None else "ubah_indikator",
              kunci=indikator.kunci, uraian=indikator.uraian, target=indikator.target,
              pelaksana=indikator.pelaksana, agregasi=indikator.cara_agregasi,
              **({"target_periode": indikator.target_periode} if indikator.target_periode else {}))
    return indikator


def pilihan_pelaksana_indikator(jenis: JenisDokumen) -> list[tuple[str, str]]:
    """Who may carry an indikator and enter its realisation: one subbagian (Sekretariat) or
    one divisi (Komisi). "Semua" has no place here: nobody in particular is the penyusun."""
    return [(value, label) for value, label in pilihan_pelaksana(jenis) if value != policy.SEMUA]


def _isi_pelaksana_agregasi(indikator: Indikator, jenis: JenisDokumen, pelaksana: str | None,
                            cara: str | None) -> None:
    if pelaksana is not None:
        pelaksana = pelaksana.strip()
        if pelaksana and pelaksana not in dict(pilihan_pelaksana_indikator(jenis)):
            pesan = (N_("Pelaksana '%(pelaksana)s' tidak dikenal untuk %(jenis)s: pilih salah satu subbagian, atau "
                        "kosongkan bila realisasinya diisi penyusun.") if jenis.sisi is Sisi.SEKRETARIAT else
                     N_("Pelaksana '%(pelaksana)s' tidak dikenal untuk %(jenis)s: pilih salah satu divisi, atau "
                        "kosongkan bila realisasinya diisi penyusun."))
            raise IsiTidakValid(_(pesan, pelaksana=pelaksana[:40], jenis=jenis.label))
        indikator.pelaksana = pelaksana or None
    if cara is not None:
        cara = cara.strip()
        if cara and cara not in {c.value for c in CaraAgregasi}:
            raise IsiTidakValid(_("Cara agregasi '%(cara)s' tidak dikenal: pilih %(pilihan)s, atau bawaan.",
                                  cara=cara[:40], pilihan=", ".join(c.label for c in CaraAgregasi)))
        # A grade or an opinion has no sum or mean: its latest value stands.
        if cara and cara != CaraAgregasi.TERAKHIR and indikator.jenis_target in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
            raise IsiTidakValid(_("Target berupa predikat atau opini tidak dapat dijumlahkan atau dirata-rata: "
                                  "pilih %(terakhir)s atau bawaan.", terakhir=CaraAgregasi.TERAKHIR.label))
        indikator.cara_agregasi = cara or None


def _periksa_target_anak(indikator: Indikator) -> None:
    """A regional target may not fall below the one it inherited (by polarity; grades and
    opinions on their scale); the message names the parent's target."""
    if not indikator.induk_target:
        return
    anak = Target(indikator.jenis_target, indikator.target_nilai, indikator.target_kode, indikator.satuan)
    if lebih_buruk(indikator.polaritas, anak, baca_target(indikator.induk_target)):
        raise IsiTidakValid(_("Target %(target)s lebih rendah dari target induk %(induk)s: target daerah tidak boleh "
                              "di bawah target satker di atasnya.", target=indikator.target, induk=indikator.induk_target))


def _periksa_periode_anak(session: Session, indikator: Indikator) -> None:
    """A child's period target never below its parent's for the same period."""
    if not indikator.induk_kunci or not indikator.target_periode:
        return
    induk = session.scalar(
        select(Indikator).join(Revisi, Revisi.id == Indikator.revisi_id).join(Dokumen, Dokumen.id == Revisi.dokumen_id)
        .where(Dokumen.id == indikator.induk_dokumen_id, Revisi.nomor == Dokumen.nomor_revisi,
               Indikator.kunci == indikator.induk_kunci))
    if induk is not None and (periode := target_periode_isi.lebih_rendah_dari_induk(indikator, induk)):
        raise IsiTidakValid(_("Target %(periode)s lebih rendah dari target induk pada periode yang sama: target daerah "
                              "tidak boleh di bawah target satker di atasnya.", periode=", ".join(periode)))


def hapus_sasaran(session, dokumen, user, kunci: str, versi: int | None = None) -> None:
    membership = _edit(session, dokumen, versi, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    sasaran = _by_kunci(revisi.sasaran, kunci, N_("Sasaran"))
    revisi.sasaran.remove(sasaran)
    _log_edit(session, dokumen, user, membership, "hapus_sasaran", kunci=kunci, uraian=sasaran.uraian)


def hapus_indikator(session, dokumen, user, sasaran_kunci: str, kunci: str, versi: int | None = None) -> None:
    membership = _edit(session, dokumen, versi, policy.ubah_semua(user, dokumen))
    sasaran = _by_kunci(dokumen.revisi_aktif.sasaran, sasaran_kunci, N_("Sasaran"))
    indikator = _by_kunci(sasaran.indikator, kunci, N_("Indikator"))
    if indikator.induk_kunci:
        raise Ditolak(_("Indikator '%(uraian)s' diturunkan dari satker di atas dan tidak dapat dihapus; targetnya "
                        "boleh dinaikkan.", uraian=indikator.uraian))
    sasaran.indikator.remove(indikator)
    _log_edit(session, dokumen, user, membership, "hapus_indikator", kunci=kunci, uraian=indikator.uraian)


@dataclass
class BarisData:
    """A RAK row as typed in the editor (or read from a file)."""

    sasaran: str = ""
    indikator: str = ""
    target: str = ""
    polaritas: Polaritas = Polaritas.NAIK
    kegiatan: list[str] = field(default_factory=list)
    kode_output: str | None = None
    sel_jadwal: list[int] = field(default_factory=list)
    biaya: int | None = None
    pelaksana: str | None = None
    # The output's targets to date per period as typed (None: leave them as they are).
    target_periode: list[str] | None = None
    alasan_target_periode: str | None = None


def pilihan_pelaksana(jenis: JenisDokumen) -> list[tuple[str, str]]:
    units = Subbagian if jenis.sisi is Sisi.SEKRETARIAT else Divisi
    semua = _("Semua Subbagian") if jenis.sisi is Sisi.SEKRETARIAT else _("Semua Divisi")
    return [(u.value, u.label) for u in units] + [(policy.SEMUA, semua)]


def _isi_baris(baris: RakBaris, data: BarisData, revisi: Revisi, jenis: JenisDokumen) -> None:
    baris.sasaran = _bersih(data.sasaran, _("Sasaran")) or ""
    baris.indikator = _bersih(data.indikator, _("Indikator kinerja"), True)
    if data.target.strip():
        _isi_target(baris, data.target, data.polaritas)
    else:
        baris.jenis_target, baris.target_nilai, baris.target_kode, baris.satuan = baris.jenis_target, None, None, None
    if data.target_periode is not None:
        target_periode_isi.isi(baris, data.target_periode, data.alasan_target_periode)
    kode = (data.kode_output or "").strip().upper() or None
    if kode and not KODE_OUTPUT.match(kode):
        raise IsiTidakValid(_("Kode output '%(kode)s' tidak sesuai pola, contoh: CQ.6709.QGE.003.", kode=kode))
    baris.kode_output = kode
    if data.biaya is not None and not 0 <= data.biaya < MAX_BIAYA:
        raise IsiTidakValid(_("Perkiraan biaya harus berupa jumlah rupiah yang tidak negatif."))
    baris.biaya = data.biaya
    if data.pelaksana and data.pelaksana not in dict(pilihan_pelaksana(jenis)):
        raise IsiTidakValid(_("Pelaksana tidak dikenal untuk dokumen ini."))
    baris.pelaksana = data.pelaksana or None
    try:
        baris.jadwal = schedule.dari_sel(revisi.bentuk_jadwal or BentukJadwal.BULAN, data.sel_jadwal)
    except ValueError as exc:
        raise IsiTidakValid(_("Jadwal: %(masalah)s.", masalah=exc)) from None
    kegiatan = [k for k in (_bersih(k, _("Kegiatan")) for k in data.kegiatan) if k]
    if [k.uraian for k in baris.kegiatan] != kegiatan:
        baris.kegiatan = [Kegiatan(urutan=no, uraian=k, revisi=revisi) for no, k in enumerate(kegiatan, start=1)]


_REVISI_AKTIF = and_(Revisi.dokumen_id == bindparam("dokumen"), Revisi.nomor == bindparam("nomor"))
_REVISI_BARIS = select(Revisi).where(_REVISI_AKTIF).options(lazyload("*"))
_REVISI_DAN_BARIS = (
    select(Revisi, RakBaris).where(_REVISI_AKTIF)
    .outerjoin(RakBaris, and_(RakBaris.revisi_id == Revisi.id, RakBaris.kunci == bindparam("kunci")))
    .options(Load(Revisi).lazyload("*"), joinedload(RakBaris.kegiatan)))
# A visit: the document too, its current revision joined by number; a new row (kunci None) matches no row.
_DOKUMEN_DAN_BARIS = (
    select(Dokumen, Revisi, RakBaris, bentuk_jadwal_kolom(Dokumen.satker_id, Dokumen.tahun))
    .join(Revisi, and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi))
    .outerjoin(RakBaris, and_(RakBaris.revisi_id == Revisi.id, RakBaris.kunci == bindparam("kunci")))
    .where(Dokumen.id == bindparam("dokumen"))
    .options(Load(Revisi).lazyload("*"), joinedload(RakBaris.kegiatan)))


def revisi_baris(session: Session, dokumen: Dokumen, kunci: str | None = None) -> tuple[Revisi, RakBaris | None]:
    """A RAK's current revision for its row editor, and its row ``kunci`` (None when there
    is no such row) with its kegiatan, in one statement (built once). The revision's header
    alone: the rest of its content loads on first use, not eagerly as
    ``Dokumen.revisi_aktif`` loads it (programs, sasaran, every row with its kegiatan, the
    LKj part, the signatures: six statements a row save never needed)."""
    aktif = {"dokumen": dokumen.id, "nomor": dokumen.nomor_revisi}
    if kunci is None:
        return session.scalars(_REVISI_BARIS, aktif).one(), None
    revisi, baris = session.execute(_REVISI_DAN_BARIS, {**aktif, "kunci": kunci}).unique().one()
    return revisi, baris


def dokumen_baris(session: Session, dokumen_id: int, kunci: str | None,
                  terlihat) -> tuple[Dokumen, Revisi, RakBaris | None] | None:
    """``revisi_baris`` with the document and the office's schedule shape, for a visit to the
    row editor: one statement for what took three (``bentuk_jadwal_kantor`` answers from it
    after). ``terlihat``: the caller's filter of the documents in reach (policy.terlihat);
    None when the document is missing or out of reach. Not for a save: a save locks the
    document first, then reads the revision as the lock left it; in one statement with the
    lock, PostgreSQL would return the locked row as another save left it, and the revision
    and the row as they were before that save."""
    found = session.execute(_DOKUMEN_DAN_BARIS.where(terlihat), {"dokumen": dokumen_id, "kunci": kunci}).unique()
    row = found.one_or_none()
    if row is None:
        return None
    dokumen, revisi, baris, bentuk = row
    ingat_bentuk_jadwal(session, dokumen.satker_id, dokumen.tahun, bentuk)
    return dokumen, revisi, baris


def baris_rak(session: Session, revisi: Revisi, kunci: str) -> RakBaris | None:
    """The row of ``revisi`` with this key, with its kegiatan: from the rows when they are
    loaded already, else in one statement."""
    if "baris" not in inspect(revisi).unloaded:
        return next((r for r in revisi.baris if r.kunci == kunci), None)
    return session.scalars(select(RakBaris).where(RakBaris.revisi_id == revisi.id, RakBaris.kunci == kunci)
                           .options(joinedload(RakBaris.kegiatan))).unique().one_or_none()


def simpan_baris(session: Session, dokumen: Dokumen, user: User, data: BarisData, kunci: str | None = None,
                 versi: int | None = None, *, revisi: Revisi | None = None,
                 baris: RakBaris | None = None, sidik: str | None = None) -> RakBaris:
    """Add a row (``kunci`` None) or change the row ``kunci``. A caller that loaded the
    current revision and the row (``revisi_baris``) passes them along rather than have
    them loaded again. ``sidik``: the fingerprint of the row as the editor showed it
    (workflow.dokumen.sidik): rows others save meanwhile do not count. Without it ``versi``, the
    document's version, is checked."""
    if dokumen.jenis.bentuk is not Bentuk.RAK:
        raise Ditolak(_("Baris rencana aksi hanya ada di RAK."))
    if revisi is None or revisi.dokumen_id != dokumen.id or revisi.nomor != dokumen.nomor_revisi:
        revisi = dokumen.revisi_aktif
    existing = None
    if kunci:
        loaded = baris is not None and baris.kunci == kunci and baris.revisi_id == revisi.id
        existing = baris if loaded else baris_rak(session, revisi, kunci)
        if existing is None:
            raise Ditolak(_("Baris tidak ditemukan di revisi ini."))
    membership = _edit(session, dokumen, versi if sidik is None else None,
                       policy.ubah_baris(user, dokumen, existing.pelaksana if existing else data.pelaksana))
    if not policy.ubah_semua(user, dokumen) and data.pelaksana != policy.pelaksana_milik(membership, dokumen.jenis):
        raise Ditolak(_("Anda hanya dapat mengisi baris dengan pelaksana unit Anda sendiri."))
    sebelum = sidik_isi.baris(revisi, existing)
    baris = existing or RakBaris(urutan=_urutan_berikut(revisi.baris))
    before = _ringkas(baris) if existing else None
    try:
        _isi_baris(baris, data, revisi, dokumen.jenis)
    except IsiTidakValid:
        # Schedule cells are read in the header's shape: typed in another, they may not fit.
        if sidik is not None and sidik != sebelum:
            raise _berubah(session, dokumen, sebelum, "baris" if existing else "dokumen", kunci) from None
        raise
    if not _boleh_tulis(session, dokumen, sidik, sebelum, sidik_isi.baris(revisi, baris),
                        "baris" if existing else "dokumen", kunci):
        return baris
    if existing is None:
        revisi.baris.append(baris)
    _log_edit(session, dokumen, user, membership, "tambah_baris" if existing is None else "ubah_baris",
              kunci=baris.kunci, sebelum=before, sesudah=_ringkas(baris))
    return baris


def _ringkas(baris: RakBaris) -> dict:
    return {"indikator": baris.indikator, "target": baris.target, "biaya": baris.biaya,
            "pelaksana": baris.pelaksana, "kegiatan": [k.uraian for k in baris.kegiatan], "jadwal": baris.jadwal}


def hapus_baris(session: Session, dokumen: Dokumen, user: User, kunci: str, versi: int | None = None) -> None:
    revisi = dokumen.revisi_aktif
    baris = _by_kunci(revisi.baris, kunci, N_("Baris"))
    membership = _edit(session, dokumen, versi, policy.ubah_baris(user, dokumen, baris.pelaksana))
    revisi.baris.remove(baris)
    for no, b in enumerate(revisi.baris, start=1):
        b.urutan = no
    _log_edit(session, dokumen, user, membership, "hapus_baris", kunci=kunci, sebelum=_ringkas(baris))


def geser(session: Session, dokumen: Dokumen, user: User, kunci: str, arah: int, versi: int | None = None,
          sasaran_kunci: str | None = None) -> None:
    """Move a row (RAK), a sasaran, or an indikator within its sasaran (PK, RKT) one place
    up (-1) or down (+1)."""
    membership = _edit(session, dokumen, versi, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    parent = _by_kunci(revisi.sasaran, sasaran_kunci, N_("Sasaran")) if sasaran_kunci else None
    collection = "indikator" if parent else "baris" if dokumen.jenis.bentuk is Bentuk.RAK else "sasaran"
    owner = parent or revisi
    rows = list(getattr(owner, collection))
    row = _by_kunci(rows, kunci, N_("Baris"))
    i = rows.index(row)
    j = i + (1 if arah > 0 else -1)
    if not 0 <= j < len(rows):
        return
    rows[i], rows[j] = rows[j], rows[i]
    for no, r in enumerate(rows, start=1):
        r.urutan = no
    # Keep the loaded collection in the new order, so a later change in the same session
    # starts from it.
    setattr(owner, collection, rows)
    _log_edit(session, dokumen, user, membership, "geser", kunci=kunci, ke=j + 1)


def isi_baris_massal(session: Session, dokumen: Dokumen, daftar: Sequence[BarisData], user: User | None) -> int:
    """Append many RAK rows at once (imports, generated data): every row is checked as in
    the editor, one audit entry names how many. ``user`` None is the system."""
    if dokumen.jenis.bentuk is not Bentuk.RAK:
        raise Ditolak(_("Baris rencana aksi hanya ada di RAK."))
    membership = _require(policy.ubah_semua(user, dokumen)) if user is not None else None
    if (refused := policy.masih_draf(dokumen)) is not None:
        raise Ditolak(refused.alasan)
    revisi = dokumen.revisi_aktif
    start = _urutan_berikut(revisi.baris)
    for offset, data in enumerate(daftar):
        baris = RakBaris(urutan=start + offset)
        _isi_baris(baris, data, revisi, dokumen.jenis)
        revisi.baris.append(baris)
    _log_edit(session, dokumen, user, membership, "tambah_baris", jumlah=len(daftar))
    return len(daftar)


@dataclass
class SasaranData:
    uraian: str
    tujuan: str | None = None
    indikator: list[tuple[str, str, Polaritas]] = field(default_factory=list)  # (uraian, target, polaritas)


def isi_sasaran_massal(session: Session, dokumen: Dokumen, daftar: Sequence[SasaranData], user: User | None) -> int:
    """Append sasaran with their indikator at once (imports, generated data), checked as in
    the editor; one audit entry. ``user`` None is the system. Returns the indikator added."""
    if dokumen.jenis.bentuk is Bentuk.RAK:
        raise Ditolak(_("Sasaran dan indikator ada di PK dan RKT, bukan di RAK."))
    membership = _require(policy.ubah_semua(user, dokumen)) if user is not None else None
    if (refused := policy.masih_draf(dokumen)) is not None:
        raise Ditolak(refused.alasan)
    revisi = dokumen.revisi_aktif
    added = 0
    for offset, data in enumerate(daftar):
        sasaran = Sasaran(urutan=_urutan_berikut(revisi.sasaran) + offset, uraian=_bersih(data.uraian, _("Sasaran"), True),
                          tujuan=_bersih(data.tujuan, _("Tujuan")))
        for no, (uraian, target, polaritas) in enumerate(data.indikator, start=1):
            indikator = Indikator(urutan=no, uraian=_bersih(uraian, _("Indikator"), True), revisi=revisi)
            _isi_target(indikator, target, polaritas)
            sasaran.indikator.append(indikator)
            added += 1
        revisi.sasaran.append(sasaran)
    _log_edit(session, dokumen, user, membership, "tambah_sasaran", jumlah=len(daftar), indikator=added)
    return added


# -- the Laporan Kinerja's written parts (its tables are computed: workflow.lkj.tabel) ----------------

def _isi_lkj(session: Session, dokumen: Dokumen, user: User, versi: int | None):
    if dokumen.jenis.bentuk is not Bentuk.LKJ:
        raise Ditolak(_("Bab dan jumlah pegawai hanya ada pada Laporan Kinerja."))
    membership = _edit(session, dokumen, versi, policy.ubah_semua(user, dokumen))
    revisi = dokumen.revisi_aktif
    if revisi.lkj is None:
        revisi.lkj = lkj.isi_baru(dokumen.satker, dokumen.tahun)
    return membership, revisi.lkj


def simpan_bab_lkj(session: Session, dokumen: Dokumen, user: User, bab: str, teks: str | None,
                   versi: int | None = None, html: bool = False) -> None:
    """Replace one chapter's narrative (paragraphs kept; ``html``: the editor's markup, lists and bold kept)."""
    if bab not in lkj.JUDUL_BAB:
        raise IsiTidakValid(_("Bab tidak dikenal."))
    membership, isi = _isi_lkj(session, dokumen, user, versi)
    setattr(isi, bab, lkj.bersihkan_teks(teks, lkj.JUDUL_BAB[bab], html=html))
    _log_edit(session, dokumen, user, membership, "ubah_bab_lkj", bab=bab)


def simpan_pegawai_lkj(session: Session, dokumen: Dokumen, user: User, jumlah: dict[str, int | None],
                       versi: int | None = None) -> None:
    """Staff by status (PNS, PPPK, PPNPN) for Bab I; a status left None is not reported."""
    membership, isi = _isi_lkj(session, dokumen, user, versi)
    for name, label in lkj.PEGAWAI:
        value = jumlah.get(name)
        if value is not None and not 0 <= value <= lkj.MAX_PEGAWAI:
            raise IsiTidakValid(_("Jumlah pegawai %(status)s harus bilangan bulat 0 sampai %(maks)s.", status=label,
                                  maks=lkj.MAX_PEGAWAI))
        setattr(isi, name, value)
    _log_edit(session, dokumen, user, membership, "ubah_pegawai_lkj", **{k: jumlah.get(k) for k, _label in lkj.PEGAWAI})


def simpan_angka_tertulis(session: Session, dokumen: Dokumen, user: User, angka: dict | None,
                          versi: int | None = None) -> None:
    """The figures a paper report typed, kept to be compared with the rows (never used)."""
    membership, isi = _isi_lkj(session, dokumen, user, versi)
    isi.angka_tertulis = lkj.angka_tertulis_json(angka)
    _log_edit(session, dokumen, user, membership, "ubah_angka_tertulis")
