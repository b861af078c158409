"""Form input kept across an expired session, for its account only.

A form sent after its session ended (idle or absolute lifetime) reaches no view: the person
is sent to sign in again. What the form carried (never a password, a code or the CSRF token:
the web side leaves those out) is kept here for ``KEEP_SECONDS``, keyed to the account and to
the page the form was on, until that account signs in and gets it back on that page.
Nothing here touches a document. Like the other account operations these flush, never commit.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, String, Text, and_, delete, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tenants.db import db

KEEP_SECONDS = 2 * 3600
# A pasted table may be long; a form past this is not kept rather than cut.
MAX_CHARS = 200_000
MAX_PATH = 2048


class KeptInput(db.Model):
    __tablename__ = "kept_input"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # The page the form was on (path and query) and the address it was sent to.
    page: Mapped[str] = mapped_column(String(MAX_PATH))
    action: Mapped[str] = mapped_column(String(MAX_PATH))
    # [[name, value], ...] in the order the browser sent them (a name may repeat).
    fields: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    def content(self) -> dict:
        return {"action": self.action, "fields": json.loads(self.fields)}


def _fresh(now: datetime):
    return KeptInput.created_at >= now - timedelta(seconds=KEEP_SECONDS)


def keep(session: Session, user_id: int, page: str, action: str, fields: list[tuple[str, str]],
         now: datetime) -> KeptInput | None:
    """Keep ``fields`` for ``user_id`` on ``page`` (replacing what was kept there before);
    None when there is nothing to keep or too much."""
    # Everyone's expired input goes whenever something new is kept: no sweeper needed.
    session.execute(delete(KeptInput).where(or_(
        ~_fresh(now), and_(KeptInput.user_id == user_id, KeptInput.page == page))))
    text = json.dumps(fields, ensure_ascii=False)
    if not fields or len(text) > MAX_CHARS or len(page) > MAX_PATH or len(action) > MAX_PATH:
        return None
    kept = KeptInput(user_id=user_id, page=page, action=action, fields=text, created_at=now)
    session.add(kept)
    session.flush()
    return kept


def pages_of(session: Session, user_id: int, now: datetime) -> dict[str, int]:
    """{page: id} of what is kept for ``user_id`` and not expired."""
    rows = session.execute(select(KeptInput.page, KeptInput.id)
                           .where(KeptInput.user_id == user_id, _fresh(now)).order_by(KeptInput.id))
    return {page: kept_id for page, kept_id in rows}


def find(session: Session, user_id: int, kept_id: int, now: datetime) -> KeptInput | None:
    """The kept input ``kept_id`` if it is ``user_id``'s and not expired; another account's
    is as missing as one that never was."""
    return session.scalar(select(KeptInput).where(KeptInput.id == kept_id, KeptInput.user_id == user_id,
                                                  _fresh(now)))


def forget(session: Session, user_id: int, kept_id: int) -> bool:
    """Delete ``user_id``'s kept input ``kept_id`` (restored); False when there is none."""
    return session.execute(delete(KeptInput).where(KeptInput.id == kept_id,
                                                   KeptInput.user_id == user_id)).rowcount == 1
