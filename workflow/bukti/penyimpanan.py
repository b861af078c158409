"""Where an evidence file's bytes live, behind one small interface.

A backend (``Penyimpanan``) writes a file from an iterable of chunks under a key
(``lokasi``, a random hex string the ``Bukti`` row keeps with the backend's name), reads it
back as chunks, and removes it. Nothing above this module touches the bytes another way,
so a backend every app server reaches can replace the database:

- ``Basisdata`` (the default): 1 MB rows of ``bukti_potongan``, written in the caller's
  transaction (a refused or failed upload leaves nothing) and read one row at a time;
- ``Direktori``: files under a directory every server mounts (NFS, a shared volume),
  written to a temporary name and moved into place; a transaction rolled back after the
  move leaves an unreferenced file, never a reference without one.

An S3 backend is the same three methods over ``put_object`` (multipart for chunks),
``get_object(...)["Body"].iter_chunks()`` and ``delete_object``; register it with
``daftarkan`` and name it as the one new files go to (webapp: ``SAKIP_BUKTI_PENYIMPANAN``).
Files keep the backend they were written to: both can be read side by side while moving.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from workflow.bukti.models import BuktiPotongan

POTONGAN = 1024 * 1024  # bytes per chunk read, written and sent


class Penyimpanan(Protocol):
    nama: str

    def tulis(self, session: Session, lokasi: str, potongan: Iterable[bytes]) -> None: ...

    def baca(self, session: Session, lokasi: str) -> Iterator[bytes]: ...

    def hapus(self, session: Session, lokasi: str) -> None: ...


class Basisdata:
    """The bytes in the database, so every app server reaches them with nothing to mount."""

    nama = "db"

    def tulis(self, session: Session, lokasi: str, potongan: Iterable[bytes]) -> None:
        # A Core insert per chunk: an ORM object would keep every chunk in the session
        # until the commit, the whole file in memory.
        for urutan, isi in enumerate(potongan):
            session.execute(insert(BuktiPotongan), [{"lokasi": lokasi, "urutan": urutan, "isi": isi}])

    def baca(self, session: Session, lokasi: str) -> Iterator[bytes]:
        urutan = list(session.scalars(select(BuktiPotongan.urutan).where(BuktiPotongan.lokasi == lokasi)
                                      .order_by(BuktiPotongan.urutan)))
        for n in urutan:
            # One row at a time: a file is never whole in memory on the way out either.
            yield bytes(session.scalar(select(BuktiPotongan.isi).where(
                BuktiPotongan.lokasi == lokasi, BuktiPotongan.urutan == n)))

    def hapus(self, session: Session, lokasi: str) -> None:
        session.execute(delete(BuktiPotongan).where(BuktiPotongan.lokasi == lokasi))


class Direktori:
    """The bytes as files under ``akar``, a directory every app server mounts."""

    nama = "dir"

    def __init__(self, akar: str | os.PathLike) -> None:
        self.akar = Path(akar)

    def _jalur(self, lokasi: str) -> Path:
        if not lokasi.isalnum():
            raise ValueError(f"lokasi tidak sah: {lokasi[:40]!r}")
        return self.akar / lokasi[:2] / lokasi

    def tulis(self, session: Session, lokasi: str, potongan: Iterable[bytes]) -> None:
        jalur = self._jalur(lokasi)
        jalur.parent.mkdir(parents=True, exist_ok=True)
        fd, sementara = tempfile.mkstemp(dir=jalur.parent, prefix=".unggah-")
        try:
            with os.fdopen(fd, "wb") as out:
                for isi in potongan:
                    out.write(isi)
            os.replace(sementara, jalur)
        except BaseException:
            Path(sementara).unlink(missing_ok=True)
            raise

    def baca(self, session: Session, lokasi: str) -> Iterator[bytes]:
        with self._jalur(lokasi).open("rb") as berkas:
            while isi := berkas.read(POTONGAN):
                yield isi

    def hapus(self, session: Session, lokasi: str) -> None:
        self._jalur(lokasi).unlink(missing_ok=True)


_BACKEND: dict[str, Penyimpanan] = {"db": Basisdata()}


def daftarkan(backend: Penyimpanan) -> None:
    """Make a backend known by its name (the name is stored with every file it holds)."""
    _BACKEND[backend.nama] = backend


def backend(nama: str) -> Penyimpanan:
    try:
        return _BACKEND[nama]
    except KeyError:
        raise LookupError(f"penyimpanan bukti {nama!r} tidak terdaftar (workflow.bukti.penyimpanan.daftarkan)") from None
