"""The document kinds: one declaration each, in ``JENIS``, read by everything else.

A kind's declaration says its form (which editor, layout, import and PDF it uses), its
side, who drafts it, who signs it in which order and capacity, what it is called and
printed as, and how it relates to the other kinds (the PK a RAK breaks down, whether it
cascades to the offices below, its table in the LKj). ``JenisDokumen`` (the column's
type) is built from these declarations, so no other place lists the kinds. Every kind is
reviewed the same way, by a reviewer at the parent office (``workflow.dokumen.policy.tinjau``):
no kind differs there, so the declaration has no field for it.

The database knows a kind by a row of table ``jenis_dokumen`` (its code and how many
signatures make it signed, which the status triggers read), written by the migration
that adds the kind. Adding a kind: append its declaration here and add that migration
(docs/architecture.md, "A new document kind").
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import db
from tenants.people import Peran
from tenants.teks import N_, _


class Sisi(enum.StrEnum):
    """Which side of the office a document belongs to (DOMAIN.md): it decides whose units
    (Divisi or Subbagian) carry out its rows."""

    KOMISI = "komisi"
    SEKRETARIAT = "sekretariat"


class Bentuk(enum.StrEnum):
    """A document's form: its content, editor, spreadsheet layout and printed page."""

    PK = "pk"
    RKT = "rkt"
    RAK = "rak"
    LKJ = "lkj"


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


@dataclass(frozen=True)
class Jenis:
    """One document kind. ``kode`` is what the database stores; its upper case names the
    ``JenisDokumen`` member."""

    kode: str
    bentuk: Bentuk
    sisi: Sisi
    label: str
    judul: str                                  # the title as printed on the document
    penyusun: Peran                             # edits everything, submits, revises
    penandatangan: tuple[Penandatangan, ...]    # in signing order
    diturunkan: bool = False                    # cascades into the same kind at the offices below
    merinci: str | None = None                  # the kind this one breaks down into actions (RAK -> PK)
    tabel_lkj: tuple[str, str] | None = None    # its table in the LKj's Bab III: number, title


_KETUA = Penandatangan(Kapasitas.KETUA, Peran.KETUA)
_KPA_LALU_KETUA = (Penandatangan(Kapasitas.KPA, Peran.SEKRETARIS), Penandatangan(Kapasitas.MENGETAHUI, Peran.KETUA))

# The kinds, in the order pages list them. PK Sekretariat: Pihak Pertama (Sekretaris),
# then Pihak Kedua (the Ketua as direct superior). A RAK is the KPA's budget plan: the
# Sekretaris signs as KPA, then the Ketua acknowledges. The LKj reports on both sides:
# the Sekretariat compiles it, the Ketua signs it.
JENIS: tuple[Jenis, ...] = (
    Jenis("pk_komisi", Bentuk.PK, Sisi.KOMISI, "PK Komisi", "Perjanjian Kinerja", Peran.KETUA, (_KETUA,),
          diturunkan=True,
          tabel_lkj=("Tabel 3.1", "Pengukuran Kinerja Terhadap Perjanjian Kinerja {nama} Tahun {tahun}")),
    Jenis("pk_sekretariat", Bentuk.PK, Sisi.SEKRETARIAT, "PK Sekretariat", "Perjanjian Kinerja Sekretariat",
          Peran.SEKRETARIS, (Penandatangan(Kapasitas.PIHAK_PERTAMA, Peran.SEKRETARIS),
                             Penandatangan(Kapasitas.PIHAK_KEDUA, Peran.KETUA)),
          diturunkan=True,
          tabel_lkj=("Tabel 3.2", "Pengukuran Kinerja Terhadap Perjanjian Kinerja Sekretariat {nama} Tahun {tahun}")),
    Jenis("rkt_komisi", Bentuk.RKT, Sisi.KOMISI, "RKT Komisi", "Rencana Kerja Tahunan", Peran.KETUA, (_KETUA,)),
    Jenis("rkt_sekretariat", Bentuk.RKT, Sisi.SEKRETARIAT, "RKT Sekretariat", "Rencana Kerja Tahunan Sekretariat",
          Peran.SEKRETARIS, (Penandatangan(Kapasitas.SEKRETARIS, Peran.SEKRETARIS),)),
    Jenis("rak_komisioner", Bentuk.RAK, Sisi.KOMISI, "RAK Komisioner", "Rencana Aksi Kinerja Komisioner",
          Peran.KETUA, _KPA_LALU_KETUA, merinci="pk_komisi"),
    Jenis("rak_sekretariat", Bentuk.RAK, Sisi.SEKRETARIAT, "RAK Sekretariat", "Rencana Aksi Kinerja Sekretariat",
          Peran.SEKRETARIS, _KPA_LALU_KETUA, merinci="pk_sekretariat"),
    Jenis("lkj", Bentuk.LKJ, Sisi.KOMISI, "LKj", "Laporan Kinerja", Peran.SEKRETARIS, (_KETUA,)),
)  # end of JENIS

_PER_KODE = {j.kode: j for j in JENIS}


class _JenisDokumen(enum.StrEnum):
    """What every kind answers, read from its declaration (the members come from JENIS)."""

    @property
    def sifat(self) -> Jenis:
        return _PER_KODE[self.value]

    @property
    def bentuk(self) -> Bentuk:
        return self.sifat.bentuk

    @property
    def sisi(self) -> Sisi:
        return self.sifat.sisi

    @property
    def penyusun(self) -> Peran:
        """Who edits everything, submits, and revises."""
        return self.sifat.penyusun

    @property
    def penandatangan(self) -> tuple[Penandatangan, ...]:
        return self.sifat.penandatangan

    @property
    def diturunkan(self) -> bool:
        return self.sifat.diturunkan

    @property
    def label(self) -> str:
        return self.sifat.label

    @property
    def judul(self) -> str:
        """The title as printed on the document."""
        return self.sifat.judul

    @property
    def tabel_lkj(self) -> tuple[str, str] | None:
        return self.sifat.tabel_lkj

    @property
    def dirinci(self) -> _JenisDokumen | None:
        """The kind that breaks this one down into actions (a PK's RAK), if any."""
        return next((j for j in type(self) if j.sifat.merinci == self.value), None)

    @property
    def merinci(self) -> _JenisDokumen | None:
        """The kind this one breaks down (a RAK's PK), if any."""
        kode = self.sifat.merinci
        return type(self)(kode) if kode else None


JenisDokumen = _JenisDokumen("JenisDokumen", [(j.kode.upper(), j.kode) for j in JENIS],
                             module=__name__, qualname="JenisDokumen")


def berbentuk(*bentuk: Bentuk) -> tuple[JenisDokumen, ...]:
    """The kinds of these forms, in the declared order."""
    return tuple(j for j in JenisDokumen if j.bentuk in bentuk)


class JenisTercatat(db.Model):
    """A kind as the database knows it: written by the migration that adds the kind, read
    by the triggers that hold a document's status to its signatures."""

    __tablename__ = "jenis_dokumen"
    __table_args__ = (CheckConstraint("jumlah_penandatangan >= 1", name="penandatangan_ada"),)

    kode: Mapped[str] = mapped_column(String(20), primary_key=True)
    jumlah_penandatangan: Mapped[int] = mapped_column(Integer)
