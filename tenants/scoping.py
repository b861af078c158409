"""The access gate: the one place that decides who may see and do what.

Every page, back-office view and command asks here. Visibility is expressed as SQL
filters so lists, counts and single-object loads are all scoped by the same rule,
and an object outside a user's reach is indistinguishable from a missing one.

Policy (see README, "Siapa melihat apa"):
- everyone sees the offices where they hold a membership;
- admin, reviewer and inspektorat memberships also see every office below theirs;
- admin manages accounts and memberships of its office and everything below it;
- reviewer reviews the offices directly below its own (province -> kabupaten/kota,
  KPU RI -> provinces).
"""
from __future__ import annotations

import enum
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select

from tenants.people import Membership, Peran, User
from tenants.satker import Satker


class Aksi(enum.StrEnum):
    LIHAT = "lihat"              # read an office and what it holds
    KELOLA_AKUN = "kelola_akun"  # manage accounts and memberships
    TINJAU = "tinjau"            # review an office's documents


SUBTREE_READERS = frozenset({Peran.ADMIN, Peran.REVIEWER, Peran.INSPEKTORAT})


def _memberships(user: User | None, roles: Iterable[Peran] | None = None) -> list[Membership]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    wanted = set(roles) if roles is not None else None
    return [m for m in user.memberships if wanted is None or m.peran in wanted]


def memberships_of(user: User | None, roles: Iterable[Peran] | None = None) -> list[Membership]:
    """The memberships of a signed-in, active ``user`` (optionally only these roles)."""
    return _memberships(user, roles)


def _subtree_of(memberships: list[Membership]) -> list[ColumnElement[bool]]:
    return [Satker.path.startswith(m.satker.path, autoescape=True) for m in memberships]


def satker_filter(user: User | None, aksi: Aksi = Aksi.LIHAT) -> ColumnElement[bool]:
    """A WHERE clause on Satker: the offices on which ``user`` may perform ``aksi``."""
    if aksi is Aksi.LIHAT:
        own = [m.satker_id for m in _memberships(user)]
        clauses = [Satker.id.in_(own)] if own else []
        clauses += _subtree_of(_memberships(user, SUBTREE_READERS))
    elif aksi is Aksi.KELOLA_AKUN:
        clauses = _subtree_of(_memberships(user, {Peran.ADMIN}))
    elif aksi is Aksi.TINJAU:
        parents = [m.satker_id for m in _memberships(user, {Peran.REVIEWER})]
        clauses = [Satker.parent_id.in_(parents)] if parents else []
    else:  # pragma: no cover - an Aksi without a rule must never grant anything
        clauses = []
    return or_(*clauses) if clauses else false()


def satkers(user: User | None, aksi: Aksi = Aksi.LIHAT) -> Select[tuple[Satker]]:
    return select(Satker).where(satker_filter(user, aksi)).order_by(Satker.path)


def satker_ids(user: User | None, aksi: Aksi = Aksi.LIHAT) -> Select[tuple[int]]:
    return select(Satker.id).where(satker_filter(user, aksi))


def known_satker_ids(user: User | None) -> list[int] | None:
    """The offices ``user`` may see (``Aksi.LIHAT``), when the memberships alone tell: no
    role that reaches a subtree, so exactly the offices held. None when a subtree needs
    the database. Every request asks (row-level security's setting); most people hold
    their own office only, and for them no statement has to be built."""
    if _memberships(user, SUBTREE_READERS):
        return None
    return sorted({m.satker_id for m in _memberships(user)})


def can(user: User | None, aksi: Aksi, satker: Satker | None) -> bool:
    """Decide on one loaded office without a query: paths carry the whole ancestry."""
    if satker is None:
        return False
    if aksi is Aksi.LIHAT:
        return any(
            m.satker_id == satker.id
            or (m.peran in SUBTREE_READERS and satker.path.startswith(m.satker.path))
            for m in _memberships(user)
        )
    if aksi is Aksi.KELOLA_AKUN:
        return any(satker.path.startswith(m.satker.path) for m in _memberships(user, {Peran.ADMIN}))
    if aksi is Aksi.TINJAU:
        return any(satker.parent_id == m.satker_id for m in _memberships(user, {Peran.REVIEWER}))
    return False


def is_account_manager(user: User | None) -> bool:
    return bool(_memberships(user, {Peran.ADMIN}))


def is_reviewer(user: User | None) -> bool:
    return bool(_memberships(user, {Peran.REVIEWER}))


def user_filter(manager: User | None) -> ColumnElement[bool]:
    """Accounts an admin manages: owned by an office in the admin's subtree, and holding
    no membership outside it (or a kabupaten admin could reset the password of someone
    who also holds rights at the province, and borrow those rights)."""
    managed = satker_ids(manager, Aksi.KELOLA_AKUN)
    held_outside = select(Membership.id).where(
        Membership.user_id == User.id, Membership.satker_id.not_in(managed)
    )
    return and_(User.satker_id.in_(managed), ~exists(held_outside))


def membership_filter(manager: User | None) -> ColumnElement[bool]:
    """Memberships an admin manages: those held at an office in the admin's subtree."""
    return Membership.satker_id.in_(satker_ids(manager, Aksi.KELOLA_AKUN))


def memberships_at(user: User | None, satker: Satker | None, *roles: Peran) -> list[Membership]:
    """The memberships ``user`` holds at exactly this office (optionally of these roles).

    Acting on an office's own documents (drafting, submitting, signing) needs a role
    held there; a role above it gives reading and reviewing only.
    """
    if satker is None:
        return []
    return [m for m in _memberships(user, roles or None) if m.satker_id == satker.id]


def reviewer_membership(user: User | None, satker: Satker | None) -> Membership | None:
    """The reviewer membership that lets ``user`` review this office, if any."""
    if satker is None:
        return None
    return next((m for m in _memberships(user, {Peran.REVIEWER}) if m.satker_id == satker.parent_id), None)
