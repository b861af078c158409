"""Signatures: who signed which exact content, when, and in which capacity."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db
from tenants.people import Peran, User
from tenants.satker import enum_column
from tenants.teks import N_, _
from workflow.document import JenisDokumen, utcnow


class Kapasitas(enum.StrEnum):
    """In which capacity a person signs: it is printed above the name."""

    KETUA = "ketua"
    SEKRETARIS = "sekretaris"
    PIHAK_PERTAMA = "pihak_pertama"
    PIHAK_KEDUA = "pihak_kedua"
    KPA = "kpa"
    MENGETAHUI = "mengetahui"

    @property
    def label(self) -> str:
        return _(_LABEL_KAPASITAS[self.value])


_LABEL_KAPASITAS = {
    "ketua": N_("Ketua"), "sekretaris": N_("Sekretaris"), "pihak_pertama": N_("Pihak Pertama"),
    "pihak_kedua": N_("Pihak Kedua"), "kpa": N_("Sekretaris selaku Kuasa Pengguna Anggaran"),
    "mengetahui": N_("Mengetahui, Ketua"),
}


@dataclass(frozen=True)
class Penandatangan:
    kapasitas: Kapasitas
    peran: Peran


# In signing order. PK Sekretariat: Pihak Pertama (Sekretaris), then Pihak Kedua (the
# Ketua as direct superior). A RAK is the KPA's budget plan: the Sekretaris signs as
# KPA, then the Ketua acknowledges.
PENANDATANGAN: dict[JenisDokumen, tuple[Penandatangan, ...]] = {
    JenisDokumen.PK_KOMISI: (Penandatangan(Kapasitas.KETUA, Peran.KETUA),),
    JenisDokumen.PK_SEKRETARIAT: (Penandatangan(Kapasitas.PIHAK_PERTAMA, Peran.SEKRETARIS),
                                  Penandatangan(Kapasitas.PIHAK_KEDUA, Peran.KETUA)),
    JenisDokumen.RKT_KOMISI: (Penandatangan(Kapasitas.KETUA, Peran.KETUA),),
    JenisDokumen.RKT_SEKRETARIAT: (Penandatangan(Kapasitas.SEKRETARIS, Peran.SEKRETARIS),),
    JenisDokumen.RAK_KOMISIONER: (Penandatangan(Kapasitas.KPA, Peran.SEKRETARIS),
                                  Penandatangan(Kapasitas.MENGETAHUI, Peran.KETUA)),
    JenisDokumen.RAK_SEKRETARIAT: (Penandatangan(Kapasitas.KPA, Peran.SEKRETARIS),
                                   Penandatangan(Kapasitas.MENGETAHUI, Peran.KETUA)),
    JenisDokumen.LKJ: (Penandatangan(Kapasitas.KETUA, Peran.KETUA),),
}


class TandaTangan(db.Model):
    __tablename__ = "tanda_tangan"
    __table_args__ = (
        UniqueConstraint("revisi_id", "urutan"),
        CheckConstraint("urutan >= 1", name="urutan_positif"),
        CheckConstraint("length(hash_isi) = 64", name="hash_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="RESTRICT"), index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    kapasitas: Mapped[Kapasitas] = mapped_column(enum_column(Kapasitas, 16))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    membership_id: Mapped[int | None] = mapped_column(Integer)  # the role held then; kept if revoked later
    nama: Mapped[str] = mapped_column(String(120))
    jabatan: Mapped[str] = mapped_column(String(200))
    hash_isi: Mapped[str] = mapped_column(String(64))
    waktu: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()
