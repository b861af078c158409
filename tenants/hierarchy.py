"""Queries over the office tree and the loader of the national hierarchy."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import ColumnElement, Select, bindparam, func, literal, select
from sqlalchemy.orm import Session

from tenants.satker import (
    KODE_RI,
    Satker,
    Tingkat,
    nama_kabkota,
    nama_provinsi,
    path_for,
)


def _ancestor_of(path) -> ColumnElement[bool]:
    """An ancestor's path is a prefix of this office's path (itself included)."""
    return path.startswith(Satker.path)


def ancestors(satker: Satker, include_self: bool = True) -> Select[tuple[Satker]]:
    """Root first. One query: an ancestor's path is a prefix of this office's path."""
    query = select(Satker).where(_ancestor_of(literal(satker.path)))
    if not include_self:
        query = query.where(Satker.id != satker.id)
    return query.order_by(func.length(Satker.path))


# ``ancestors(satker)`` as columns, the office's path bound as "path", built once: for a page
# that shows several breadcrumbs (the home page), where mapped offices would cost more.
ANCESTOR_ROWS = (select(Satker.id, Satker.kode, Satker.nama, Satker.path)
                 .where(_ancestor_of(bindparam("path", type_=Satker.path.type))).order_by(func.length(Satker.path)))


def subtree(satker: Satker, include_self: bool = True) -> Select[tuple[Satker]]:
    query = select(Satker).where(Satker.path.startswith(satker.path, autoescape=True))
    if not include_self:
        query = query.where(Satker.id != satker.id)
    return query.order_by(Satker.path)


def children(satker: Satker) -> Select[tuple[Satker]]:
    return select(Satker).where(Satker.parent_id == satker.id).order_by(Satker.kode)


@dataclass(frozen=True)
class Office:
    kode: str
    nama: str
    tingkat: Tingkat
    parent_kode: str | None


def reference_offices() -> list[Office]:
    """All 553 offices from the bundled reference data (ODbL, see data/ATTRIBUTION.md)."""
    data = resources.files("tenants") / "data"
    offices = [Office(KODE_RI, "KPU RI", Tingkat.PUSAT, None)]
    with (data / "provinces.csv").open(encoding="utf-8") as fh:
        offices += [
            Office(row["code"], nama_provinsi(row["code"], row["name"]), Tingkat.PROVINSI, KODE_RI)
            for row in csv.DictReader(fh)
        ]
    with (data / "regencies.csv").open(encoding="utf-8") as fh:
        offices += [
            Office(
                row["code"],
                nama_kabkota(row["province_code"], row["name"]),
                Tingkat.KABKOTA,
                row["province_code"],
            )
            for row in csv.DictReader(fh)
        ]
    return offices


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def load_hierarchy(session: Session, offices: list[Office] | None = None) -> LoadResult:
    """Create or update offices by code; running it twice changes nothing.

    Parents come before children in the list, so each parent is known when its
    children are placed.
    """
    offices = reference_offices() if offices is None else offices
    existing = {s.kode: s for s in session.scalars(select(Satker))}
    result = LoadResult()
    for office in offices:
        parent = existing[office.parent_kode] if office.parent_kode else None
        path = path_for(office.kode, parent)
        satker = existing.get(office.kode)
        if satker is None:
            satker = Satker(kode=office.kode, nama=office.nama, tingkat=office.tingkat, parent=parent, path=path)
            session.add(satker)
            existing[office.kode] = satker
            result.created += 1
        elif (satker.nama, satker.tingkat, satker.parent_id, satker.path) != (
            office.nama, office.tingkat, parent.id if parent else None, path,
        ):
            satker.nama, satker.tingkat, satker.parent, satker.path = office.nama, office.tingkat, parent, path
            result.updated += 1
        else:
            result.unchanged += 1
    session.flush()
    return result
