"""Separation of duties (docs/akses.md, "Separation of duties"): whoever submitted or signed
a revision may not review it, not even holding a reviewer's membership at the parent office.

The table is read from docs/akses.md, must equal ``tests/akses.PEMISAHAN``, and every cell
is requested through the pages: the button is offered exactly when allowed, and a refused
post answers 403 with the reason and changes nothing.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests import akses
from tests.conftest import csrf_token_from, section
from tests.documents import isi_contoh
from tests.factories import grant
from workflow import audit
from workflow.dokumen import operations
from workflow.dokumen.models import Dokumen, JenisDokumen, Status

EVENT = {"tinjau": "approve", "kembalikan": "send_back"}
KINDS = ["rak_komisioner", "pk_sekretariat", "rkt_komisi"]
REASON = {"mengajukan revisi itu": "Yang mengajukan dokumen tidak boleh meninjaunya sendiri.",
          "menandatangani revisi itu": "Yang menandatangani dokumen tidak boleh meninjaunya sendiri"}


def test_the_table_in_docs_equals_the_one_in_tests_akses():
    table = akses.pemisahan_in_doc()
    assert table is not None, "docs/akses.md has lost its separation-of-duties table"
    assert akses.expand_pemisahan(table) == akses.PEMISAHAN_ORACLE


def _signed_with(db, tree, people, make_user, jenis: JenisDokumen, row: str):
    """A signed document of Kota Batu, and the reviewer at Jawa Timur who also did what
    ``row`` says to its revision (submitted it, signed it first, or neither)."""
    batu = people("35.79")
    dokumen = operations.buat_dokumen(db.session, tree["35.79"], 2024, jenis, None)
    penyusun = getattr(batu, jenis.penyusun.value)
    isi_contoh(db.session, dokumen, penyusun)
    signers = [getattr(batu, p.peran.value) for p in jenis.penandatangan]
    if row == "tidak mengajukan dan tidak menandatangani":
        actor = people("35").reviewer
    else:
        role = jenis.penyusun.value if row == "mengajukan revisi itu" else jenis.penandatangan[0].peran.value
        actor = make_user("35.79", role)
        grant(actor, tree["35"], "reviewer")
        db.session.commit()
        if row == "mengajukan revisi itu":
            penyusun = actor
        else:
            signers[0] = actor
    operations.ajukan(db.session, dokumen, penyusun)
    for signer in signers:
        operations.tandatangani(db.session, dokumen, signer)
    db.session.commit()
    assert dokumen.status is Status.SIGNED
    return dokumen, actor


@pytest.mark.parametrize("jenis", KINDS)
@pytest.mark.parametrize("row", akses.PEMISAHAN_ROWS)
@pytest.mark.parametrize("action", akses.PEMISAHAN_ACTIONS)
def test_a_reviewer_who_submitted_or_signed_may_not_review(db, app, tree, people, make_user, login, jenis, row,
                                                           action):
    dokumen, actor = _signed_with(db, tree, people, make_user, JenisDokumen(jenis), row)
    allowed = jenis in akses.PEMISAHAN_ORACLE[(row, action)]
    event = EVENT[action]
    client = login(actor, c=app.test_client())
    page = client.get(f"/dokumen/{dokumen.id}").text
    offered = (f'data-testid="btn-{event}"' if event == "approve" else 'data-testid="return-dialog"') in page
    assert offered is allowed, "the page offers exactly what the actor may press"
    before = (dokumen.versi, db.session.scalar(sa.select(sa.func.count(audit.AuditEntry.id))))
    response = client.post(f"/dokumen/{dokumen.id}/aksi/{event}", data={
        "csrf_token": csrf_token_from(page), "versi": str(dokumen.versi),
        "alasan": "Perbaiki target"})
    db.session.expire_all()
    dokumen = db.session.get(Dokumen, dokumen.id)
    if allowed:
        assert response.status_code == 302
        assert dokumen.status is (Status.REVIEWED if event == "approve" else Status.DRAFT)
        return
    assert response.status_code == 403
    assert REASON[row] in section(response.text, "error")
    assert dokumen.status is Status.SIGNED
    assert (dokumen.versi, db.session.scalar(sa.select(sa.func.count(audit.AuditEntry.id)))) == before


def test_the_first_signer_may_not_return_before_the_second_signs(db, tree, people, make_user):
    batu = people("35.79")
    both = make_user("35.79", "sekretaris")
    grant(both, tree["35"], "reviewer")
    db.session.commit()
    rak = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_SEKRETARIAT, None)
    isi_contoh(db.session, rak, batu.sekretaris)
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, both)
    from workflow.errors import Ditolak
    with pytest.raises(Ditolak, match="Yang menandatangani dokumen tidak boleh meninjaunya sendiri"):
        operations.kembalikan(db.session, rak, both, alasan="Perbaiki")
    operations.kembalikan(db.session, rak, people("35").reviewer, alasan="Perbaiki")
    assert rak.status is Status.DRAFT
