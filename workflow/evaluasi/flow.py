"""An evaluation's state machine: draf -> diajukan -> diterbitkan -> final, with
diajukan -> dikembalikan (criteria returned for more evidence) -> diajukan again, and
diterbitkan -> disanggah (the office's one dispute) -> diterbitkan again or final.

One event per verb. Validators raise ``Ditolak`` / ``IsiTidakValid`` with the reason a user
reads; actions write the evaluation's fields before its status (the database checks each
status against them); a listener writes the audit trail on the office. Driven only by
``workflow.evaluasi.operations``.
"""
from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from statemachine import StateMachine
from statemachine.states import States

from tenants.db import utcnow
from tenants.people import Membership, User
from tenants.teks import N_, _
from workflow import audit
from workflow.dokumen.models import Revisi
from workflow.dokumen.policy import Keputusan
from workflow.errors import Ditolak, IsiTidakValid
from workflow.evaluasi import canonical, policy, queries, skor
from workflow.evaluasi.models import Evaluasi, StatusEvaluasi

EVENT_LABELS = {
    "ajukan": N_("Ajukan penilaian mandiri"),
    "kembalikan": N_("Kembalikan untuk bukti tambahan"),
    "terbitkan": N_("Terbitkan hasil sementara"),
    "sanggah": N_("Ajukan sanggahan"),
    "finalkan": N_("Finalkan"),
}
EVENT_KONFIRMASI = {
    "ajukan": N_("Ajukan penilaian mandiri? Jawaban tidak dapat diubah kecuali dikembalikan evaluator."),
    "sanggah": N_("Ajukan sanggahan? Sanggahan hanya dapat diajukan sekali."),
    "finalkan": N_("Finalkan evaluasi? Nilai dan predikat tidak dapat diubah lagi."),
}
MAX_ALASAN = 4000
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _require(decision: Keputusan) -> Membership:
    if not decision:
        raise Ditolak(decision.alasan)
    return decision.membership


def kode_baru(session: Session) -> str:
    """A verification code no signed revision and no evaluation holds (one page checks both)."""
    while True:
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        kode = f"{raw[:4]}-{raw[4:]}"
        taken = session.scalar(select(Revisi.id).where(Revisi.kode_verifikasi == kode)) or \
            session.scalar(select(Evaluasi.id).where(Evaluasi.kode_verifikasi == kode))
        if not taken:
            return kode


_WILAYAH = re.compile(r"^KPU (Provinsi |Kabupaten |Kota )?")


def penanda_lhe(membership: Membership) -> tuple[str, str, str]:
    """The LHE's signer as the finalising membership is now: position, office, place.
    KPU RI's inspektorat is the Inspektorat Utama and signs in Jakarta; a province's signs
    in its region (the app keeps no office address)."""
    satker = membership.satker
    if satker.parent_id is None:
        return "Inspektorat Utama", satker.nama, "Jakarta"
    return membership.jabatan, satker.nama, _WILAYAH.sub("", satker.nama)


def catat(session: Session, ev: Evaluasi, user: User | None, membership: Membership | None, *, aksi: str,
          rincian: dict | None = None, **fields) -> None:
    """An audit entry about the evaluation, on its office (no document), naming the year."""
    audit.append(session, aksi=aksi, user_id=user.id if user else None, username=user.username if user else None,
                 membership_id=membership.id if membership else None,
                 peran=membership.jabatan if membership else None, satker_kode=ev.satker.kode,
                 rincian={"evaluasi": ev.id, "tahun": ev.tahun, **(rincian or {})}, **fields)


class AlurEvaluasi(StateMachine):
    s = States.from_enum(StatusEvaluasi, initial=StatusEvaluasi.DRAF, final=StatusEvaluasi.FINAL,
                         use_enum_instance=True)

    ajukan = s.DRAF.to(s.DIAJUKAN, validators="may_submit") | s.DIKEMBALIKAN.to(s.DIAJUKAN, validators="may_submit")
    kembalikan = s.DIAJUKAN.to(s.DIKEMBALIKAN, validators=["may_evaluate", "has_reason", "has_returned"])
    terbitkan = (s.DIAJUKAN.to(s.DITERBITKAN, validators=["may_evaluate", "scored"])
                 | s.DISANGGAH.to(s.DITERBITKAN, validators=["may_evaluate", "scored"]))
    sanggah = s.DITERBITKAN.to(s.DISANGGAH, validators=["may_dispute", "once", "has_disputes"])
    finalkan = (s.DITERBITKAN.to(s.FINAL, validators=["may_evaluate", "scored"])
                | s.DISANGGAH.to(s.FINAL, validators=["may_evaluate", "scored"]))

    def __init__(self, ev: Evaluasi, session: Session) -> None:
        self.ev = ev
        self.session = session
        self.granted: Membership | None = None
        super().__init__(model=ev, state_field="status", listeners=[AuditEvaluasi(self)])

    # -- validators -------------------------------------------------------------------
    def may_submit(self, user: User) -> None:
        self.granted = _require(policy.isi(user, self.ev.satker))
        if masalah := queries.masalah_ajukan(self.session, self.ev):
            raise IsiTidakValid(_("Penilaian mandiri belum lengkap untuk diajukan."), masalah)

    def may_evaluate(self, user: User) -> None:
        self.granted = _require(policy.evaluator(user, self.ev.satker))

    def may_dispute(self, user: User) -> None:
        self.granted = _require(policy.sanggah(user, self.ev.satker))

    def has_reason(self, alasan: str | None = None) -> None:
        alasan = (alasan or "").strip()
        if not alasan:
            raise IsiTidakValid(_("Alasan wajib diisi."))
        if len(alasan) > MAX_ALASAN:
            raise IsiTidakValid(_("Alasan paling banyak %(maks)s karakter.", maks=MAX_ALASAN))

    def has_returned(self) -> None:
        if not any(j.perlu_bukti for j in self.ev.jawaban):
            raise IsiTidakValid(_("Tandai dulu kriteria yang memerlukan bukti tambahan, dengan alasannya."))

    def scored(self) -> None:
        if masalah := queries.masalah_nilai(self.session, self.ev):
            raise IsiTidakValid(_("Penilaian evaluator belum lengkap."), masalah)

    def once(self) -> None:
        if self.ev.disanggah_pada is not None:
            raise Ditolak(_("Sanggahan hanya dapat diajukan sekali; sanggahan sudah diajukan."))

    def has_disputes(self) -> None:
        if not any(t.sanggahan for t in self.ev.temuan):
            raise IsiTidakValid(_("Tulis alasan sanggahan pada sedikitnya satu temuan."))

    # -- actions: the fields first, then the status --------------------------------------
    def on_ajukan(self, user: User) -> None:
        self.ev.diajukan_oleh_id, self.ev.diajukan_pada = user.id, utcnow()
        for j in self.ev.jawaban:
            if j.perlu_bukti:  # answered again: the evaluator judges it afresh
                j.perlu_bukti, j.setuju = False, None
        self.session.flush()

    def on_kembalikan(self, user: User, alasan: str) -> None:
        self.ev.catatan = alasan.strip()
        self.session.flush()

    def on_terbitkan(self, user: User) -> None:
        self.ev.diterbitkan_oleh_id, self.ev.diterbitkan_pada = user.id, utcnow()
        self.session.flush()

    def on_sanggah(self, user: User) -> None:
        self.ev.disanggah_oleh_id, self.ev.disanggah_pada = user.id, utcnow()
        self.session.flush()

    def on_finalkan(self, user: User) -> None:
        # Everything is read before anything is written: a flush between would store a
        # score on an evaluation not yet final, which the database refuses. The status
        # follows in the same UPDATE (operations.transisi flushes).
        ev = self.ev
        data = canonical.isi(self.session, ev)
        total = skor.dua_desimal(queries.hasil(self.session, ev).total)
        kode = kode_baru(self.session)
        ev.isi_final = canonical.teks(data)
        ev.hash_isi = canonical.hash_teks(ev.isi_final)
        ev.skor_total, ev.predikat, ev.kode_verifikasi = total, data["predikat"], kode
        ev.difinalkan_oleh_id, ev.difinalkan_pada = user.id, utcnow()
        ev.difinalkan_nama = user.full_name
        ev.difinalkan_jabatan, ev.difinalkan_kantor, ev.difinalkan_tempat = penanda_lhe(self.granted)


class AuditEvaluasi:
    """One audit entry per transition, on the office, naming the evaluation and the year."""

    def __init__(self, alur: AlurEvaluasi) -> None:
        self.alur = alur

    def after_transition(self, event: str, source, target, user: User, alasan: str | None = None, **_kwargs) -> None:
        alur = self.alur
        rincian = {"kode_verifikasi": alur.ev.kode_verifikasi, "skor": str(alur.ev.skor_total),
                   "predikat": alur.ev.predikat} if event == "finalkan" else None
        catat(alur.session, alur.ev, user, alur.granted, aksi=f"evaluasi_{event}", dari=source.value.value,
              ke=target.value.value, alasan=(alasan or "").strip() or None, rincian=rincian)
