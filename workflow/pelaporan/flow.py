"""A period report's state machine: draft -> submitted -> verified, or returned (with a
reason) -> submitted again; a verified period reopened for correction goes back to draft
in a new numbered revision, with its reason.

One event per verb. Validators raise ``Ditolak`` / ``IsiTidakValid`` with the reason a user
reads; actions write the report's fields before its status (the database checks each
status against them); a listener writes the audit trail on the PK. Driven only by
``workflow.pelaporan.operations``.
"""
from __future__ import annotations

from sqlalchemy.orm import Session
from statemachine import StateMachine
from statemachine.states import States

from tenants.db import utcnow
from tenants.people import Membership, User
from tenants.teks import N_, _
from workflow.audit import catat
from workflow.dokumen.models import Dokumen
from workflow.dokumen.policy import Keputusan
from workflow.errors import Ditolak, IsiTidakValid
from workflow.pelaporan import policy, queries
from workflow.pelaporan.models import AnalisisIndikator, LaporanPeriode, RevisiLaporan, StatusLaporan

EVENT_LABELS = {
    "ajukan": N_("Ajukan"),
    "verifikasi": N_("Verifikasi"),
    "kembalikan": N_("Kembalikan"),
    "koreksi": N_("Koreksi"),
}
EVENT_KONFIRMASI = {
    "ajukan": N_("Ajukan laporan periode ini? Setelah diajukan analisisnya tidak dapat diubah kecuali dikembalikan."),
    "verifikasi": N_("Verifikasi laporan periode ini? Realisasi periode ini akan terkunci."),
}
MAX_ALASAN = 4000


def _require(decision: Keputusan) -> Membership:
    if not decision:
        raise Ditolak(decision.alasan)
    return decision.membership


class AlurLaporan(StateMachine):
    s = States.from_enum(StatusLaporan, initial=StatusLaporan.DRAFT, use_enum_instance=True)

    ajukan = s.DRAFT.to(s.DIAJUKAN, validators="may_submit") | s.DIKEMBALIKAN.to(s.DIAJUKAN, validators="may_submit")
    verifikasi = s.DIAJUKAN.to(s.TERVERIFIKASI, validators="may_verify")
    kembalikan = s.DIAJUKAN.to(s.DIKEMBALIKAN, validators=["may_verify", "has_reason"])
    koreksi = s.TERVERIFIKASI.to(s.DRAFT, validators=["may_report", "has_reason"])

    def __init__(self, lap: LaporanPeriode, dokumen: Dokumen, session: Session) -> None:
        self.lap = lap
        self.dokumen = dokumen
        self.session = session
        self.granted: Membership | None = None
        self.nomor_awal = lap.nomor_revisi
        super().__init__(model=lap, state_field="status", listeners=[AuditLaporan(self)])

    # -- validators -------------------------------------------------------------------
    def may_report(self, user: User) -> None:
        self.granted = _require(policy.laporkan(user, self.dokumen))

    def may_submit(self, user: User) -> None:
        self.may_report(user)
        if masalah := queries.masalah_sebelum_ajukan(self.session, self.dokumen, self.lap):
            raise IsiTidakValid(_("Laporan periode belum lengkap untuk diajukan."), masalah)

    def may_verify(self, user: User) -> None:
        self.granted = _require(policy.verifikasi(user, self.dokumen, self.lap))

    def has_reason(self, alasan: str | None = None) -> None:
        alasan = (alasan or "").strip()
        if not alasan:
            raise IsiTidakValid(_("Alasan wajib diisi."))
        if len(alasan) > MAX_ALASAN:
            raise IsiTidakValid(_("Alasan paling banyak %(maks)s karakter.", maks=MAX_ALASAN))

    # -- actions: the fields first, then the status --------------------------------------
    def on_ajukan(self, user: User) -> None:
        self.lap.diajukan_oleh_id, self.lap.diajukan_pada = user.id, utcnow()
        self.session.flush()

    def on_verifikasi(self, user: User) -> None:
        now = utcnow()
        self.lap.diverifikasi_oleh_id, self.lap.diverifikasi_pada = user.id, now
        revisi = self.lap.revisi[-1]
        revisi.diverifikasi_oleh_id, revisi.diverifikasi_pada = user.id, now
        self.session.flush()

    def on_kembalikan(self, user: User, alasan: str) -> None:
        self.lap.catatan = alasan.strip()
        self.session.flush()

    def on_koreksi(self, user: User, alasan: str) -> None:
        lap = self.lap
        lap.nomor_revisi += 1
        lap.revisi.append(RevisiLaporan(nomor=lap.nomor_revisi, alasan=alasan.strip(), dibuat_oleh_id=user.id))
        # The verified revision's analysis stays as it was; the correction starts from a copy.
        for a in queries.analisis(self.session, lap, lap.nomor_revisi - 1).values():
            self.session.add(AnalisisIndikator(laporan_id=lap.id, nomor_revisi=lap.nomor_revisi, indikator_kunci=a.indikator_kunci,
                                               kendala=a.kendala, upaya=a.upaya, rencana=a.rencana))
        self.session.flush()


    def after_koreksi(self) -> None:
        # After the status left "verified" (the database wants a verified report to name
        # its verifier); the verified revision keeps who verified it.
        self.lap.diverifikasi_oleh_id = self.lap.diverifikasi_pada = None


class AuditLaporan:
    """One audit entry per transition, on the PK, naming the period and the report's revision."""

    def __init__(self, alur: AlurLaporan) -> None:
        self.alur = alur

    def after_transition(self, event: str, source, target, user: User, alasan: str | None = None, **_kwargs) -> None:
        alur = self.alur
        rincian = {"periode": alur.lap.periode, "revisi_laporan": alur.lap.nomor_revisi}
        catat(alur.session, alur.dokumen, user, alur.granted, aksi=f"laporan_{event}", dari=source.value.value,
              ke=target.value.value, alasan=(alasan or "").strip() or None, rincian=rincian)
