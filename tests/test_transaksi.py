"""A request that wrote nothing ends its transaction with COMMIT (webapp/transaksi.py);
anything that wrote, failed or left a changed object keeps the rollback it always had."""
import pytest
import sqlalchemy as sa

from tenants.people import User
from tests.factories import UserFactory
from webapp import transaksi


@pytest.fixture
def orang(db, tree):
    user = UserFactory(username="transaksi.baca", full_name="Nama Asli", satker=tree["35.79"])
    db.session.commit()
    return user.id


def _nama(db, user_id: int) -> str:
    db.session.remove()
    return db.session.scalar(sa.select(User.full_name).where(User.id == user_id))


def test_a_read_that_wrote_nothing_is_committed(app, db, orang):
    with app.test_request_context("/", method="GET"):
        assert db.session.get(User, orang).full_name == "Nama Asli"
        assert db.session().in_transaction()
        transaksi.end_request(None)
        assert not db.session().in_transaction(), "committed, not left for the rollback"


@pytest.mark.parametrize("cara", ["objek diubah", "UPDATE", "flush", "galat", "POST"])
def test_a_request_that_wrote_or_failed_is_rolled_back(app, db, orang, cara):
    method = "POST" if cara == "POST" else "GET"
    with app.test_request_context("/", method=method):
        user = db.session.get(User, orang)
        if cara == "UPDATE":
            db.session.execute(sa.update(User).where(User.id == orang).values(full_name="Diubah"))
        else:
            user.full_name = "Diubah"
        if cara == "flush":
            db.session.flush()
        transaksi.end_request(RuntimeError("gagal") if cara == "galat" else None)
        assert db.session().in_transaction(), "left open for the session's rollback"
        db.session.remove()  # what Flask-SQLAlchemy does at the end of the request
    assert _nama(db, orang) == "Nama Asli"
