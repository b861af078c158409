"""factory_boy factories over the rolled-back test session."""
from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from tenants.accounts import grant as grant_membership
from tenants.db import db
from tenants.passwords import hash_password
from tenants.people import Divisi, Peran, Subbagian, User

TEST_PASSWORD = "rahasia-uji-123"
# Hashing with argon2id is deliberately slow: hash once, share it across test users.
_TEST_HASH = hash_password(TEST_PASSWORD)


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - looked up per use
        sqlalchemy_session_persistence = "commit"

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.Faker("name", locale="id_ID")
    password_hash = _TEST_HASH
    active = True


def grant(user: User, satker, role: str, divisi: str | None = None, subbagian: str | None = None):
    return grant_membership(
        db.session, user, satker, Peran(role),
        Divisi(divisi) if divisi else None, Subbagian(subbagian) if subbagian else None,
    )
