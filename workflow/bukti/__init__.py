"""Evidence (bukti dukung, issue 17 point 3): files attached to a period's realisation of an
indikator of a PK, to a RAK row's money spent in a period, or to a document itself (the
scan of the signed paper).

- ``periksa``: what a file is, decided from its content (``filetype``), and whether it is
  whole (pypdf, Pillow, the OOXML zip's content types), neither a polyglot nor a program;
- ``penyimpanan``: where the bytes live, behind a small interface (the database by default,
  in chunks; a directory every server mounts as the other backend);
- ``operations``: the only writers (``unggah``, ``tarik``): they check, store, log with
  ``workflow.audit``, flush, never commit;
- ``queries``: the lists (a cell's files, a document's, an office's per period, the
  grid's counts).

A file is never changed: it is added, or withdrawn while its period is not locked. Whether
a period is locked is not this package's to know (the period reports are): a function
appended to ``PERIODE_TERKUNCI`` answers it, e.g. at start-up
``PERIODE_TERKUNCI.append(workflow.pelaporan.queries.kunci_periode)``.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

# (session, dokumen_id, periode as the realisation stores it: the month, 3/6/9/12 for a
# quarter) -> whether that period of that document is locked. Any True locks it.
PERIODE_TERKUNCI: list[Callable[[Session, int, int], bool]] = []


def periode_terkunci(session: Session, dokumen_id: int, periode: int) -> bool:
    return any(kunci(session, dokumen_id, periode) for kunci in PERIODE_TERKUNCI)


# The period reports sit below this package (.importlinter), so evidence asks them directly:
# a verified period locks its files with its realisation.
from workflow.pelaporan.queries import kunci_periode as _kunci_periode  # noqa: E402

PERIODE_TERKUNCI.append(_kunci_periode)
