"""The document state machine: draft -> submitted -> signed -> reviewed.

One event per verb. Validators raise ``Ditolak`` with the reason a user should read;
actions do what the verb means to the revision (lock, sign, review, open the next
revision); a listener writes the audit trail. The machine is built on demand over a
loaded ``Dokumen`` (ORM rows skip ``__init__``) and is driven only by
``workflow.dokumen.operations``.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy.orm import Session
from statemachine import StateMachine
from statemachine.states import States

from tenants.penunjukan import Penunjukan
from tenants.people import Membership, User
from tenants.teks import N_, _
from workflow.audit import catat
from workflow.dokumen import canonical, checks, policy
from workflow.dokumen.models import ALASAN_RESMI, AlasanRevisi, Dokumen, HasilTinjauan, Revisi, Status
from tenants.db import utcnow
from workflow.dokumen.revisions import buka_revisi
from workflow.dokumen.signature import TandaTangan
from workflow.errors import Ditolak, IsiTidakValid, Konflik

# Letters and digits that cannot be misread on paper (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# The buttons' verbs (marked: read them through tenants.teks._).
EVENT_LABELS = {
    "submit": N_("Ajukan"),
    "sign": N_("Tanda tangani"),
    "approve": N_("Setujui"),
    "send_back": N_("Kembalikan"),
    "revise": N_("Buka revisi"),
}
# The steps that cannot be taken back ask first (webapp/static/konfirmasi.js).
EVENT_KONFIRMASI = {
    "submit": N_("Ajukan dokumen ini? Setelah diajukan isinya terkunci; perubahan hanya lewat revisi baru."),
    "sign": N_("Tanda tangani dokumen ini? Tanda tangan tidak dapat ditarik kembali."),
    "approve": N_("Setujui dokumen ini? Persetujuan tidak dapat dibatalkan; perubahan berikutnya lewat revisi baru."),
}


def new_verification_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _require(decision: policy.Keputusan) -> Membership:
    if not decision:
        raise Ditolak(decision.alasan)
    return decision.membership


# What the caller adds to a revision's content just before it is locked (the machine knows
# no report: workflow.dokumen.operations passes the LKj's freeze in).
SebelumKunci = Callable[[Session, Dokumen, Revisi], None]


class DocumentFlow(StateMachine):
    s = States.from_enum(Status, initial=Status.DRAFT, use_enum_instance=True)

    submit = s.DRAFT.to(s.SUBMITTED, validators="may_submit")
    sign = s.SUBMITTED.to(s.SIGNED, cond="completes_signatures", validators="may_sign") | s.SUBMITTED.to.itself(
        internal=True, validators="may_sign")
    approve = s.SIGNED.to(s.REVIEWED, validators="may_review")
    send_back = s.SUBMITTED.to(s.DRAFT, validators=["may_review", "has_reason"]) | s.SIGNED.to(
        s.DRAFT, validators=["may_review", "has_reason"])
    revise = s.REVIEWED.to(s.DRAFT, validators="may_revise")

    def __init__(self, dokumen: Dokumen, session: Session, *, sebelum_kunci: SebelumKunci | None = None) -> None:
        self.dokumen = dokumen
        self.session = session
        self.sebelum_kunci = sebelum_kunci
        self.revisi: Revisi = dokumen.revisi_aktif
        self.granted: Membership | None = None
        self.penunjukan: Penunjukan | None = None  # signing as Plh/Plt
        # The version the transition is made on: a second click on the same button names
        # it too (workflow.dokumen.operations.sudah_dilakukan).
        self.versi_awal = dokumen.versi
        super().__init__(model=dokumen, state_field="status", listeners=[AuditListener(self)])

    # -- validators: each raises with the reason a user reads ----------------------
    def may_submit(self, user: User) -> None:
        self.granted = _require(policy.ajukan(user, self.dokumen))
        if problems := checks.masalah_sebelum_ajukan(self.revisi):
            raise IsiTidakValid(_("Dokumen belum lengkap untuk diajukan."), problems)

    def may_sign(self, user: User, hash_dibaca: str | None = None) -> None:
        decision = policy.tandatangani(user, self.dokumen, self.revisi)
        self.granted, self.penunjukan = _require(decision), decision.penunjukan
        # The signer signs what they read: a page opened before a return and resubmit
        # shows other content than what would be signed now.
        if hash_dibaca is not None and hash_dibaca != self.revisi.hash_isi:
            raise Konflik(_("Isi yang Anda baca bukan isi yang diajukan sekarang; buka lagi dokumennya "
                            "sebelum menandatangani."))

    def may_review(self, user: User) -> None:
        self.granted = _require(policy.tinjau(user, self.dokumen, self.revisi))

    def may_revise(self, user: User, alasan_jenis: AlasanRevisi | None = None, alasan: str | None = None) -> None:
        self.granted = _require(policy.revisi(user, self.dokumen))
        # What the form lacks is the user's to fix (422), not a right they lack (403).
        if alasan_jenis not in ALASAN_RESMI:
            raise IsiTidakValid(_("Pilih alasan revisi dari daftar resmi."))
        if alasan_jenis is AlasanRevisi.LAINNYA and not (alasan or "").strip():
            raise IsiTidakValid(_("Alasan 'lainnya' harus dituliskan."))

    def has_reason(self, alasan: str | None = None) -> None:
        if not (alasan or "").strip():
            raise IsiTidakValid(_("Alasan pengembalian wajib diisi: tuliskan apa yang harus diperbaiki."))

    # -- conditions ---------------------------------------------------------------
    def completes_signatures(self) -> bool:
        return policy.penandatangan_berikut(self.dokumen, self.revisi) is not None and (
            len(self.revisi.tanda_tangan) + 1 == len(self.dokumen.jenis.penandatangan))

    # -- actions --------------------------------------------------------------------
    def on_submit(self, user: User) -> None:
        revisi = self.revisi
        if self.sebelum_kunci is not None:  # e.g. the LKj's computed tables, frozen into what is signed
            self.sebelum_kunci(self.session, self.dokumen, revisi)
        self.session.flush()  # the hash covers exactly what is stored
        revisi.hash_isi = canonical.hash_isi(revisi)
        revisi.kode_verifikasi = new_verification_code()
        revisi.diajukan_oleh_id = user.id
        revisi.diajukan_pada = utcnow()
        revisi.terkunci = True
        # Written before the status that claims it: the database checks each status against
        # its revision when the status is written (migration "state invariants").
        self.session.flush()

    def on_sign(self, user: User) -> None:
        berikut = policy.penandatangan_berikut(self.dokumen, self.revisi)
        acting = self.penunjukan
        self.revisi.tanda_tangan.append(TandaTangan(
            urutan=len(self.revisi.tanda_tangan) + 1, kapasitas=berikut.kapasitas, user_id=user.id,
            membership_id=self.granted.id, penunjukan_id=acting.id if acting else None, nama=user.full_name,
            jabatan=acting.jabatan if acting else f"{self.granted.jabatan} {self.dokumen.satker.nama}",
            hash_isi=self.revisi.hash_isi,
        ))
        self.session.flush()  # before the status (see on_submit)

    def _review(self, user: User, hasil: HasilTinjauan, alasan: str | None) -> None:
        self.revisi.hasil_tinjauan = hasil
        self.revisi.catatan_tinjauan = (alasan or "").strip() or None
        self.revisi.ditinjau_oleh_id = user.id
        self.revisi.ditinjau_pada = utcnow()

    def on_approve(self, user: User, alasan: str | None = None) -> None:
        self._review(user, HasilTinjauan.DISETUJUI, alasan)
        self.session.flush()  # before the status (see on_submit)

    def on_send_back(self, user: User, alasan: str) -> None:
        self._review(user, HasilTinjauan.DIKEMBALIKAN, alasan)
        # What was submitted and signed stays on record; the fix happens in a copy.
        buka_revisi(self.dokumen, AlasanRevisi.PENGEMBALIAN, alasan.strip(), user.id, dari=self.revisi)

    def on_revise(self, user: User, alasan_jenis: AlasanRevisi, alasan: str | None = None) -> None:
        buka_revisi(self.dokumen, alasan_jenis, (alasan or "").strip() or None, user.id, dari=self.revisi)


class AuditListener:
    """Writes one audit entry per transition, naming the membership that allowed it."""

    def __init__(self, flow: DocumentFlow) -> None:
        self.flow = flow

    def after_transition(self, event: str, source, target, user: User, alasan: str | None = None,
                         alasan_jenis: AlasanRevisi | None = None, **_kwargs) -> None:
        flow = self.flow
        rincian = {"hash_isi": flow.revisi.hash_isi, "dari_versi": flow.versi_awal}
        if alasan_jenis is not None:
            rincian["alasan_jenis"] = alasan_jenis.value
        peran = None
        if event == "sign":
            rincian["tanda_tangan_ke"] = len(flow.revisi.tanda_tangan)
            if flow.penunjukan is not None:  # the appointee (user) and the position acted in
                rincian |= {"penunjukan_id": flow.penunjukan.id, "sebagai": flow.penunjukan.jabatan,
                            "nomor_surat": flow.penunjukan.nomor_surat}
                peran = flow.penunjukan.jabatan
        if flow.dokumen.nomor_revisi != flow.revisi.nomor:
            rincian["revisi_baru"] = flow.dokumen.nomor_revisi
        catat(flow.session, flow.dokumen, user, flow.granted, peran=peran, aksi=event, dari=source.value.value,
              ke=target.value.value, alasan=(alasan or "").strip() or None, revisi_nomor=flow.revisi.nomor,
              rincian=rincian)
