"""A follow-up's state machine: terbuka -> dilaporkan (the owner reports progress, a note
required) -> selesai (the evaluator closes it), or dilaporkan -> terbuka (the evaluator
returns it, with a reason).

One event per verb. Validators raise ``Ditolak`` / ``IsiTidakValid`` with the reason a user
reads; actions write the follow-up's fields and its numbered report before its status (the
database checks each status against them); a listener writes the audit trail on the
office. Driven only by ``workflow.tindaklanjut.operations``.
"""
from __future__ import annotations

from sqlalchemy.orm import Session
from statemachine import StateMachine
from statemachine.states import States

from tenants.db import utcnow
from tenants.people import Membership, User
from tenants.teks import N_, _
from workflow import audit
from workflow.dokumen.policy import Keputusan
from workflow.errors import Ditolak, IsiTidakValid
from workflow.tindaklanjut import policy
from workflow.tindaklanjut.models import KeputusanLaporan, LaporanTindakLanjut, StatusTindakLanjut, TindakLanjut

EVENT_LABELS = {
    "laporkan": N_("Laporkan perkembangan"),
    "selesaikan": N_("Nyatakan selesai"),
    "kembalikan": N_("Kembalikan"),
}
EVENT_KONFIRMASI = {
    "selesaikan": N_("Nyatakan tindak lanjut ini selesai? Tindak lanjut yang selesai tidak dapat dibuka lagi."),
}
MAX_TEKS = 4000


def _require(decision: Keputusan) -> Membership:
    if not decision:
        raise Ditolak(decision.alasan)
    return decision.membership


def _teks(teks: str | None, kosong: str) -> None:
    teks = (teks or "").strip()
    if not teks:
        raise IsiTidakValid(kosong)
    if len(teks) > MAX_TEKS:
        raise IsiTidakValid(_("Teks paling banyak %(maks)s karakter.", maks=MAX_TEKS))


def kolom_audit(tl: TindakLanjut, user: User | None, membership: Membership | None) -> dict:
    """The audit entry's fields about a follow-up: on its office, naming it, the evaluation and the year."""
    return {"user_id": user.id if user else None, "username": user.username if user else None,
            "membership_id": membership.id if membership else None,
            "peran": membership.jabatan if membership else None, "satker_kode": tl.satker.kode}


def rincian_audit(tl: TindakLanjut, **lain) -> dict:
    return {"tindak_lanjut": tl.id, "evaluasi": tl.evaluasi_id, "tahun": tl.tahun, "nomor": tl.nomor, **lain}


class AlurTindakLanjut(StateMachine):
    s = States.from_enum(StatusTindakLanjut, initial=StatusTindakLanjut.TERBUKA, final=StatusTindakLanjut.SELESAI,
                         use_enum_instance=True)

    laporkan = s.TERBUKA.to(s.DILAPORKAN, validators=["may_report", "has_note"])
    selesaikan = s.DILAPORKAN.to(s.SELESAI, validators="may_close")
    kembalikan = s.DILAPORKAN.to(s.TERBUKA, validators=["may_close", "has_reason"])

    def __init__(self, tl: TindakLanjut, session: Session) -> None:
        self.tl = tl
        self.session = session
        self.granted: Membership | None = None
        super().__init__(model=tl, state_field="status", listeners=[AuditTindakLanjut(self)])

    # -- validators -------------------------------------------------------------------
    def may_report(self, user: User, **_kwargs) -> None:
        self.granted = _require(policy.laporkan(user, self.tl))

    def may_close(self, user: User, **_kwargs) -> None:
        self.granted = _require(policy.evaluator(user, self.tl))

    def has_note(self, uraian: str | None = None, **_kwargs) -> None:
        _teks(uraian, _("Uraian perkembangan tindak lanjut wajib diisi."))

    def has_reason(self, alasan: str | None = None, **_kwargs) -> None:
        _teks(alasan, _("Alasan pengembalian wajib diisi."))

    # -- actions: the fields and the report first, then the status ------------------------
    def on_laporkan(self, user: User, uraian: str, tautan: str | None = None, **_kwargs) -> None:
        tl, now = self.tl, utcnow()
        tl.jumlah_laporan += 1
        tl.laporan.append(LaporanTindakLanjut(nomor=tl.jumlah_laporan, uraian=uraian.strip(), tautan=tautan,
                                              dilaporkan_oleh_id=user.id, dilaporkan_pada=now))
        tl.dilaporkan_oleh_id, tl.dilaporkan_pada = user.id, now

    def on_selesaikan(self, user: User, **_kwargs) -> None:
        now = utcnow()
        self._putuskan(user, KeputusanLaporan.SELESAI, None, now)
        self.tl.ditutup_oleh_id, self.tl.ditutup_pada = user.id, now

    def on_kembalikan(self, user: User, alasan: str, **_kwargs) -> None:
        self._putuskan(user, KeputusanLaporan.DIKEMBALIKAN, alasan.strip(), utcnow())
        self.tl.catatan = alasan.strip()
        # Open again: the report stays in the numbered history, the follow-up waits for the next.
        self.tl.dilaporkan_oleh_id = self.tl.dilaporkan_pada = None

    def _putuskan(self, user: User, keputusan: KeputusanLaporan, alasan: str | None, now) -> None:
        laporan = self.tl.laporan[-1]
        laporan.keputusan, laporan.alasan = keputusan.value, alasan
        laporan.diputus_oleh_id, laporan.diputus_pada = user.id, now


class AuditTindakLanjut:
    """One audit entry per transition, on the office, naming the follow-up and its report."""

    def __init__(self, alur: AlurTindakLanjut) -> None:
        self.alur = alur

    def after_transition(self, event: str, source, target, user: User, alasan: str | None = None,
                         **_kwargs) -> None:
        tl = self.alur.tl
        audit.append(self.alur.session,
                     aksi="tindak_lanjut_laporkan" if event == "laporkan"
                     else "tindak_lanjut_selesai" if event == "selesaikan" else "tindak_lanjut_kembalikan",
                     dari=source.value.value, ke=target.value.value, alasan=(alasan or "").strip() or None,
                     rincian=rincian_audit(tl, laporan=tl.jumlah_laporan),
                     **kolom_audit(tl, user, self.alur.granted))
