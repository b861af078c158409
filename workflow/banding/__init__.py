"""A benchmark in every LKj (issue 18): the office's capaian on each indikator it carries by
cascade beside the quartiles of the offices of its level that carry the same indikator, in
its province and in the country (``queries.perbandingan``). Only aggregates of other offices
leave this package: n and the quartiles, never a name or a value.

The aggregates read every office of the level, further than the reader may see: on
PostgreSQL the row-level security would hide them. ``SELURUH`` is the hook that opens the
read for the two aggregate statements; the webapp fills it with ``webapp.rls.sistem`` (a
process without row-level security, the CLI or the tests as table owner, needs nothing).
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

SELURUH: list[Callable[[], AbstractContextManager]] = [nullcontext]
