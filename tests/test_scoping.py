"""Each visibility rule of the gate, allowed and refused, at all three levels."""
import pytest
from sqlalchemy import select

from tenants import scoping
from tenants.accounts import set_active
from tenants.satker import Satker

A = scoping.Aksi
ALL = {"RI", "35", "35.79", "35.73", "51", "51.71", "51.03"}

# (role, at office, aksi) -> the offices on which it is allowed; every other office is refused.
POLICY = [
    ("sekretaris", "35.79", A.LIHAT, {"35.79"}),
    ("ketua", "35.79", A.LIHAT, {"35.79"}),
    ("subbag", "35.79", A.LIHAT, {"35.79"}),
    ("anggota", "35.79", A.LIHAT, {"35.79"}),
    ("ketua", "35", A.LIHAT, {"35"}),
    ("sekretaris", "RI", A.LIHAT, {"RI"}),
    ("reviewer", "35", A.LIHAT, {"35", "35.79", "35.73"}),
    ("reviewer", "35", A.TINJAU, {"35.79", "35.73"}),
    ("reviewer", "RI", A.LIHAT, ALL),
    ("reviewer", "RI", A.TINJAU, {"35", "51"}),
    ("inspektorat", "51", A.LIHAT, {"51", "51.71", "51.03"}),
    ("inspektorat", "51", A.TINJAU, set()),
    ("inspektorat", "51", A.KELOLA_AKUN, set()),
    ("inspektorat", "RI", A.LIHAT, ALL),
    ("admin", "35.79", A.LIHAT, {"35.79"}),
    ("admin", "35.79", A.KELOLA_AKUN, {"35.79"}),
    ("admin", "35", A.KELOLA_AKUN, {"35", "35.79", "35.73"}),
    ("admin", "RI", A.KELOLA_AKUN, ALL),
    ("admin", "RI", A.LIHAT, ALL),
    ("sekretaris", "35.79", A.KELOLA_AKUN, set()),
    ("ketua", "35", A.TINJAU, set()),
    ("sekretaris", "35", A.TINJAU, set()),
]

EXTRA = {"subbag": {"subbagian": "rendatin"}, "anggota": {"divisi": "teknis"}}


def _allowed_by_query(db, user, aksi):
    return set(db.session.scalars(select(Satker.kode).where(scoping.satker_filter(user, aksi))))


@pytest.mark.parametrize(("role", "at", "aksi", "allowed"), POLICY, ids=[f"{r}@{o}-{a}" for r, o, a, _ in POLICY])
def test_policy(db, tree, make_user, role, at, aksi, allowed):
    user = make_user(at, role, **EXTRA.get(role, {}))

    by_object = {kode for kode, satker in tree.items() if scoping.can(user, aksi, satker)}

    assert by_object == allowed, "scoping.can on one loaded office"
    assert _allowed_by_query(db, user, aksi) == allowed, "scoping.satker_filter in SQL"
    if aksi is A.LIHAT:  # what row-level security is told each request, without a query when it can
        known = scoping.known_satker_ids(user)
        assert known is None if role in ("reviewer", "inspektorat", "admin") else \
            {kode for kode, s in tree.items() if s.id in known} == allowed


def test_several_memberships_add_up(db, tree, make_user):
    from tests.factories import grant

    user = make_user("35.79", "sekretaris")
    grant(user, tree["51"], "reviewer")  # the same person also reviews for Bali
    db.session.commit()

    assert _allowed_by_query(db, user, A.LIHAT) == {"35.79", "51", "51.71", "51.03"}
    assert _allowed_by_query(db, user, A.TINJAU) == {"51.71", "51.03"}
    assert scoping.known_satker_ids(user) is None, "a subtree role needs the database"


def test_a_disabled_account_sees_nothing(db, tree, make_user):
    user = make_user("RI", "admin")
    set_active(user, False)
    db.session.commit()

    for aksi in A:
        assert _allowed_by_query(db, user, aksi) == set()
        assert not any(scoping.can(user, aksi, s) for s in tree.values())
    assert scoping.known_satker_ids(user) == []


def test_anonymous_sees_nothing(db, tree):
    assert _allowed_by_query(db, None, A.LIHAT) == set()
    assert not scoping.can(None, A.LIHAT, tree["RI"])
    assert scoping.known_satker_ids(None) == []


def test_admins_manage_only_accounts_owned_in_their_subtree(db, tree, make_user):
    admin = make_user("35", "admin")
    batu = make_user("35.79", "sekretaris", username="batu.sek")
    make_user("51.71", "sekretaris", username="denpasar.sek")
    make_user("RI", "ketua", username="ri.ketua")
    from tenants.people import User

    managed = set(db.session.scalars(select(User.username).where(scoping.user_filter(admin))))

    assert "batu.sek" in managed and admin.username in managed
    assert "denpasar.sek" not in managed and "ri.ketua" not in managed
    assert batu.username in managed
