"""Money spent per budget output code per month, as SAKTI and SIMONIKA record it
(``RealisasiOutput``), and the quarterly absorption targets KPU RI sets per year
(``TargetSerapan``, SMART DJA's TW I 15%, TW II 40%, TW III 60%, TW IV 90% by default).

The figure per output code belongs to the office and the year, not to a RAK: SAKTI books
spending on the DIPA's output codes, whichever RAK row planned it. The money spent per RAK
row (``workflow.realisasi.models.RealisasiAnggaran``) stays for the RAK's own tracking; the
absorption (``workflow.anggaran.serapan``) uses the per-output figure where an office has
entered one for that code and year, and the rows' figures otherwise.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import db, utcnow


class RealisasiOutput(db.Model):
    """Money spent on one output code by one office in one month (whole rupiah)."""

    __tablename__ = "realisasi_output"
    __table_args__ = (
        UniqueConstraint("satker_id", "tahun", "kode_output", "bulan"),
        CheckConstraint("bulan BETWEEN 1 AND 12", name="bulan_wajar"),
        CheckConstraint("tahun BETWEEN 2000 AND 2100", name="tahun_wajar"),
        CheckConstraint("jumlah >= 0", name="jumlah_positif"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    kode_output: Mapped[str] = mapped_column(String(40))  # normalised: CQ.6709.QGE.003
    bulan: Mapped[int] = mapped_column(Integer)
    jumlah: Mapped[int] = mapped_column(BigInteger)
    diisi_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diisi_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TargetSerapan(db.Model):
    """The share of the year's budget to be spent by the end of a quarter (cumulative %)."""

    __tablename__ = "target_serapan"
    __table_args__ = (
        CheckConstraint("triwulan BETWEEN 1 AND 4", name="triwulan_wajar"),
        CheckConstraint("persen >= 0 AND persen <= 100", name="persen_wajar"),
    )

    tahun: Mapped[int] = mapped_column(Integer, primary_key=True)
    triwulan: Mapped[int] = mapped_column(Integer, primary_key=True)
    persen: Mapped[Decimal] = mapped_column(Numeric(5, 2, asdecimal=True))
    diubah_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diubah_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
