"""Rupiah amounts as offices write them: ``Rp 10.604.086.100``, ``Rp. 99.498.000,-``.

One parser for every way in: the editors' form fields (webapp.editors re-exports
``baca_rupiah``) and the Excel/paste import (workflow.imports).
"""
from __future__ import annotations

import re

_RUPIAH = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,0+)?\s*(?:,-)?$", re.IGNORECASE)


def baca_rupiah(text: str) -> int:
    """``Rp 10.604.086.100``, ``10604086100`` or ``Rp. 99.498.000,-`` -> whole rupiah.

    Raises ValueError for anything else (sen, words, negative amounts).
    """
    match = _RUPIAH.match(" ".join(text.split()))
    if not match:
        raise ValueError(text)
    return int(match.group(1).replace(".", ""))
