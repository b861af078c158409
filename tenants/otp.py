"""TOTP second factor (RFC 6238, pyotp): who must have it, enrolment, and checking a code.

Admins and reviewers must use it; everyone else may. A code is accepted for the current
30-second step and one step either side (clock drift), and never twice: the last step
accepted is stored, and only later steps are accepted after it (ASVS 2.8.4). The step moves
forward in one conditional UPDATE, so of simultaneous requests carrying the same code (two
tabs, two servers) exactly one wins: the database, not the request that read first, decides.
"""
from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import or_, update
from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import set_committed_value

from tenants.people import Peran, User

ISSUER = "SAKIP KPU"
DIGITS = 6
INTERVAL = 30
REQUIRED_ROLES = frozenset({Peran.ADMIN, Peran.REVIEWER})
CODE_PATTERN = re.compile(r"^\d{6}$")


def required(user: User) -> bool:
    """Admins and reviewers cannot sign in with a password alone."""
    return any(m.peran in REQUIRED_ROLES for m in user.memberships)


def enrolled(user: User) -> bool:
    return bool(user.totp_secret)


def new_secret() -> str:
    """160 random bits, base32 (what authenticator apps expect)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(name=username, issuer_name=ISSUER)


def _clean(code: str | None) -> str:
    return re.sub(r"\s+", "", code or "")


def matching_step(secret: str, code: str | None, *, after: int | None = None, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to (within one step of now, later than ``after``), or None."""
    code = _clean(code)
    if not secret or not CODE_PATTERN.match(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    now = time.time() if now is None else now
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if after is not None and step <= after:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def verify(user: User, code: str | None, *, now: float | None = None) -> bool:
    """Check a code of an enrolled user and use it up. The caller commits."""
    step = matching_step(user.totp_secret or "", code, after=user.totp_last_step, now=now)
    if step is None:
        return False
    return _advance(user, step)


def _advance(user: User, step: int) -> bool:
    """Move the account's last step to ``step`` unless another request already moved it
    there or beyond (compare-and-set: on PostgreSQL a concurrent one waits for the row and
    then finds its condition false; on SQLite writers take turns)."""
    session = object_session(user)
    moved = session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return False
    set_committed_value(user, "totp_last_step", step)  # what the row now holds, without reading it again
    return True


def enrol(user: User, secret: str, code: str | None, *, now: float | None = None) -> bool:
    """Store ``secret`` for ``user`` when ``code`` proves the app holds it. The caller commits."""
    step = matching_step(secret, code, now=now)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step
    return True


def remove(user: User) -> None:
    """Forget the second factor (a lost phone, reset by an administrator). The caller commits."""
    user.totp_secret = None
    user.totp_last_step = None
