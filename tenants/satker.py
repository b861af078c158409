"""Satker: one KPU office (satuan kerja) in the national hierarchy."""
from __future__ import annotations

import enum
import re

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tenants.db import db

KODE_RI = "RI"
# Region codes as the reference data writes them: "RI", "35", "35.79".
KODE_PATTERN = re.compile(r"^(RI|\d{2}|\d{2}\.\d{2})$")


class Tingkat(enum.StrEnum):
    PUSAT = "pusat"
    PROVINSI = "provinsi"
    KABKOTA = "kabkota"

    @property
    def label(self) -> str:
        return {"pusat": "KPU RI", "provinsi": "KPU Provinsi", "kabkota": "KPU Kabupaten/Kota"}[self.value]


def enum_column(enum_cls: type[enum.Enum], length: int = 20, constraint: bool = True) -> Enum:
    """A portable enum: VARCHAR plus a named CHECK constraint, stored by value. Without the
    constraint when a foreign key to a table of the values holds the column instead."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=constraint,
        length=length,
        values_callable=lambda cls: [member.value for member in cls],
        name=enum_cls.__name__.lower(),
        validate_strings=True,
    )


class Satker(db.Model):
    __tablename__ = "satker"
    __table_args__ = (
        CheckConstraint("(tingkat = 'pusat') = (parent_id IS NULL)", name="root_is_pusat"),
        CheckConstraint("path LIKE '/%/'", name="path_delimited"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(8), unique=True)
    nama: Mapped[str] = mapped_column(String(120))
    tingkat: Mapped[Tingkat] = mapped_column(enum_column(Tingkat, 10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    # Materialised path of codes from the root, e.g. "/RI/35/35.79/": ancestors and the
    # whole subtree each come from one indexed query, whatever the depth.
    path: Mapped[str] = mapped_column(String(64), unique=True)

    parent: Mapped[Satker | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Satker]] = relationship(back_populates="parent", order_by="Satker.kode")

    @validates("kode")
    def _check_kode(self, _key: str, kode: str) -> str:
        if not KODE_PATTERN.match(kode):
            raise ValueError(f"kode satker tidak valid: {kode!r}")
        return kode

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def __str__(self) -> str:
        return self.nama

    def __repr__(self) -> str:
        return f"<Satker {self.kode} {self.nama}>"


def path_for(kode: str, parent: Satker | None) -> str:
    return f"{parent.path if parent else '/'}{kode}/"


def nama_provinsi(kode: str, wilayah: str) -> str:
    """Office name as the province's KPU writes it (Aceh's is the KIP)."""
    special = {
        "11": "KIP Aceh",
        "31": "KPU Provinsi DKI Jakarta",
        "34": "KPU Daerah Istimewa Yogyakarta",
    }
    return special.get(kode, f"KPU Provinsi {wilayah}")


def nama_kabkota(kode_provinsi: str, wilayah: str) -> str:
    """'Kota Batu' -> 'KPU Kota Batu'; in Aceh, 'KIP Kabupaten Aceh Selatan'."""
    lembaga = "KIP" if kode_provinsi == "11" else "KPU"
    return f"{lembaga} {wilayah}"
