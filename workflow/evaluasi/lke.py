"""The worksheet (Lembar Kerja Evaluasi) as data: a named version (``PermenPAN-RB
88/2021``), its components, sub-components and criteria with their weights, loaded from a
CSV (``workflow/data/lke/``; ``sakip lke muat FILE --versi NAMA``). A later regulation is
a new file under a new name; an evaluation keeps the version it was started with, so a
loaded version is never changed: loading the same name with other content is refused.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.teks import _

DATA = Path(__file__).resolve().parent.parent / "data" / "lke"
BAKU = DATA / "lke-permenpanrb-88-2021.csv"
VERSI_BAKU = "PermenPAN-RB 88/2021"
KOLOM = ("komponen_kode", "komponen", "komponen_bobot", "subkomponen_kode", "subkomponen", "subkomponen_bobot",
         "kriteria_kode", "kriteria")
_KODE_SUB = re.compile(r"^(\d{1,2})\.([a-z])$")
MAKS_BERKAS = 1_000_000


class LkeVersi(db.Model):
    __tablename__ = "lke_versi"

    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(80), unique=True)
    sumber: Mapped[str] = mapped_column(String(255))  # the file's name as loaded
    sha256: Mapped[str] = mapped_column(String(64))   # of the file: the same name again must be the same file
    dimuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    komponen: Mapped[list[LkeKomponen]] = relationship(order_by="LkeKomponen.urutan", lazy="selectin",
                                                       cascade="all, delete-orphan")

    @property
    def subkomponen(self) -> list[LkeSubkomponen]:
        return [s for k in self.komponen for s in k.subkomponen]

    @property
    def kriteria(self) -> list[LkeKriteria]:
        return [c for s in self.subkomponen for c in s.kriteria]

    def sub(self, kode: str) -> LkeSubkomponen | None:
        return next((s for s in self.subkomponen if s.kode == kode), None)


class LkeKomponen(db.Model):
    __tablename__ = "lke_komponen"
    __table_args__ = (UniqueConstraint("versi_id", "kode"), CheckConstraint("bobot > 0 AND bobot <= 100", name="bobot_wajar"))

    id: Mapped[int] = mapped_column(primary_key=True)
    versi_id: Mapped[int] = mapped_column(ForeignKey("lke_versi.id", ondelete="CASCADE"), index=True)
    kode: Mapped[str] = mapped_column(String(8))
    nama: Mapped[str] = mapped_column(String(255))
    bobot: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    urutan: Mapped[int] = mapped_column(Integer)

    subkomponen: Mapped[list[LkeSubkomponen]] = relationship(
        order_by="LkeSubkomponen.urutan", lazy="selectin", cascade="all, delete-orphan", back_populates="komponen")


class LkeSubkomponen(db.Model):
    __tablename__ = "lke_subkomponen"
    __table_args__ = (UniqueConstraint("komponen_id", "kode"), CheckConstraint("bobot > 0 AND bobot <= 100", name="bobot_wajar"))

    id: Mapped[int] = mapped_column(primary_key=True)
    komponen_id: Mapped[int] = mapped_column(ForeignKey("lke_komponen.id", ondelete="CASCADE"), index=True)
    kode: Mapped[str] = mapped_column(String(8))
    jenis: Mapped[str] = mapped_column(String(40))  # Pemenuhan, Kualitas, Pemanfaatan
    pernyataan: Mapped[str | None] = mapped_column(Text)
    bobot: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    urutan: Mapped[int] = mapped_column(Integer)

    komponen: Mapped[LkeKomponen] = relationship(back_populates="subkomponen")
    kriteria: Mapped[list[LkeKriteria]] = relationship(
        order_by="LkeKriteria.urutan", lazy="selectin", cascade="all, delete-orphan", back_populates="subkomponen")


class LkeKriteria(db.Model):
    __tablename__ = "lke_kriteria"
    __table_args__ = (UniqueConstraint("subkomponen_id", "kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subkomponen_id: Mapped[int] = mapped_column(ForeignKey("lke_subkomponen.id", ondelete="CASCADE"), index=True)
    kode: Mapped[str] = mapped_column(String(12))
    uraian: Mapped[str] = mapped_column(Text)
    urutan: Mapped[int] = mapped_column(Integer)

    subkomponen: Mapped[LkeSubkomponen] = relationship(back_populates="kriteria")


class LkeTidakSah(ValueError):
    """A worksheet file that cannot be loaded; the message says where and why."""


@dataclass
class _Sub:
    kode: str
    jenis: str
    bobot: Decimal
    kriteria: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Komponen:
    kode: str
    nama: str
    bobot: Decimal
    sub: dict[str, _Sub] = field(default_factory=dict)


def _angka(teks: str, baris: int, kolom: str) -> Decimal:
    try:
        nilai = Decimal(teks.strip().replace(",", "."))
    except InvalidOperation:
        raise LkeTidakSah(_("Baris %(n)s: %(kolom)s bukan angka.", n=baris, kolom=kolom)) from None
    if not nilai.is_finite() or nilai <= 0:
        raise LkeTidakSah(_("Baris %(n)s: %(kolom)s harus lebih dari 0.", n=baris, kolom=kolom))
    return nilai


def _sama(lama, baru, baris: int, apa: str) -> None:
    if lama != baru:
        raise LkeTidakSah(_("Baris %(n)s: %(apa)s berbeda dari baris sebelumnya.", n=baris, apa=apa))


def _baris(komponen: dict[str, _Komponen], row: dict, n: int) -> None:
    kode_sub, kode_kriteria = row["subkomponen_kode"].strip(), row["kriteria_kode"].strip()
    match = _KODE_SUB.match(kode_sub)
    if not match or match.group(1) != row["komponen_kode"].strip() or not kode_kriteria.startswith(kode_sub + "."):
        raise LkeTidakSah(_("Baris %(n)s: kode %(kode)s tidak mengikuti pola 1.a / 1.a.1.", n=n, kode=kode_kriteria))
    k = komponen.setdefault(match.group(1), _Komponen(match.group(1), row["komponen"].strip(),
                                                      _angka(row["komponen_bobot"], n, "komponen_bobot")))
    _sama((k.nama, k.bobot), (row["komponen"].strip(), _angka(row["komponen_bobot"], n, "komponen_bobot")), n,
          _("komponen"))
    s = k.sub.setdefault(kode_sub, _Sub(kode_sub, row["subkomponen"].strip(),
                                        _angka(row["subkomponen_bobot"], n, "subkomponen_bobot")))
    _sama((s.jenis, s.bobot), (row["subkomponen"].strip(), _angka(row["subkomponen_bobot"], n, "subkomponen_bobot")),
          n, _("subkomponen"))
    if any(kode == kode_kriteria for kode, _u in s.kriteria) or not row["kriteria"].strip():
        raise LkeTidakSah(_("Baris %(n)s: kriteria %(kode)s kosong atau berulang.", n=n, kode=kode_kriteria))
    s.kriteria.append((kode_kriteria, row["kriteria"].strip()))


def baca(teks: str) -> list[_Komponen]:
    """The worksheet in a CSV's text, checked: the columns, the codes, one name and weight
    per component and sub-component, the sub-components' weights summing to their
    component's and the components' to 100."""
    reader = csv.DictReader(io.StringIO(teks.lstrip("\ufeff")))
    if tuple(reader.fieldnames or ()) != KOLOM:
        raise LkeTidakSah(_("Kolom berkas LKE harus: %(kolom)s.", kolom=", ".join(KOLOM)))
    komponen: dict[str, _Komponen] = {}
    for n, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise LkeTidakSah(_("Baris %(n)s: jumlah kolom tidak sesuai.", n=n))
        _baris(komponen, row, n)
    if not komponen:
        raise LkeTidakSah(_("Berkas LKE tidak berisi kriteria."))
    for k in komponen.values():
        if sum(s.bobot for s in k.sub.values()) != k.bobot:
            raise LkeTidakSah(_("Bobot subkomponen komponen %(kode)s tidak berjumlah %(bobot)s.", kode=k.kode,
                                bobot=k.bobot))
    if sum(k.bobot for k in komponen.values()) != 100:
        raise LkeTidakSah(_("Bobot komponen tidak berjumlah 100."))
    return list(komponen.values())


def _pernyataan(path: Path) -> dict[str, str]:
    pendamping = path.with_name(path.stem + ".subkomponen.csv")
    if not pendamping.exists():
        return {}
    with pendamping.open(encoding="utf-8") as f:
        return {r["subkomponen_kode"].strip(): r["pernyataan"].strip() for r in csv.DictReader(f)}


def muat(session: Session, path: Path | str, nama: str) -> tuple[LkeVersi, bool]:
    """Load the worksheet at ``path`` as version ``nama``; (the version, whether it was new).
    The same name again with the same file is left as it is; with another, refused."""
    path = Path(path)
    data = path.read_bytes()
    if len(data) > MAKS_BERKAS:
        raise LkeTidakSah(_("Berkas LKE terlalu besar."))
    nama = " ".join(nama.split())
    if not nama or len(nama) > 80:
        raise LkeTidakSah(_("Nama versi LKE wajib diisi, paling banyak 80 karakter."))
    sidik = hashlib.sha256(data).hexdigest()
    ada = session.scalar(select(LkeVersi).where(LkeVersi.nama == nama))
    if ada is not None:
        if ada.sha256 != sidik:
            raise LkeTidakSah(_("Versi %(nama)s sudah dimuat dari berkas lain; LKE yang sudah dimuat tidak diubah: "
                                "muat berkas baru dengan nama versi baru.", nama=nama))
        return ada, False
    try:
        komponen = baca(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise LkeTidakSah(_("Berkas LKE harus UTF-8.")) from None
    pernyataan = _pernyataan(path)
    versi = LkeVersi(nama=nama, sumber=path.name[:255], sha256=sidik)
    for i, k in enumerate(komponen, start=1):
        row = LkeKomponen(kode=k.kode, nama=k.nama, bobot=k.bobot, urutan=i)
        for j, s in enumerate(k.sub.values(), start=1):
            sub = LkeSubkomponen(kode=s.kode, jenis=s.jenis, bobot=s.bobot, urutan=j, pernyataan=pernyataan.get(s.kode))
            sub.kriteria = [LkeKriteria(kode=kode, uraian=uraian, urutan=n) for n, (kode, uraian) in
                            enumerate(s.kriteria, start=1)]
            row.subkomponen.append(sub)
        versi.komponen.append(row)
    session.add(versi)
    session.flush()
    return versi, True


def versi_terkini(session: Session) -> LkeVersi | None:
    return session.scalar(select(LkeVersi).order_by(LkeVersi.id.desc()).limit(1))


def versi_berlaku(session: Session) -> LkeVersi:
    """The worksheet a new evaluation starts with: the latest loaded, or the bundled
    PermenPAN-RB 88/2021 loaded now (first use)."""
    found = versi_terkini(session)
    return found if found is not None else muat(session, BAKU, VERSI_BAKU)[0]
