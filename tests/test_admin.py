"""The back office shows each admin only their subtree, whatever id is typed in the URL."""
import re

import pytest
from sqlalchemy import func, select

from tenants.people import Membership, User
from tests.conftest import csrf_token_from


@pytest.fixture
def people(make_user):
    return {
        "admin_jatim": make_user("35", "admin", username="admin.jatim"),
        "batu": make_user("35.79", "sekretaris", username="batu.sekretaris"),
        "denpasar": make_user("51.71", "sekretaris", username="denpasar.sekretaris"),
        "ri": make_user("RI", "ketua", username="ri.ketua"),
    }


@pytest.fixture
def admin_jatim(people, login):
    return login(people["admin_jatim"])


def _errors(html: str) -> list[str]:
    """The messages shown beside fields and in alerts, for assertion messages."""
    found = re.findall(r'class="(?:invalid-feedback|alert[^"]*)"[^>]*>(.*?)</', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in found]


def _alerts(html: str) -> list[tuple[str, str]]:
    """The flashed messages of a back-office page: (kind, text), the close button left out."""
    found = re.findall(r'<div class="alert alert-(\w+)[^"]*">(.*?)</div>', html, re.S)
    return [(kind, " ".join(re.sub(r"<button.*?</button>|<[^>]+>", " ", text, flags=re.S).split())) for kind, text in found]


def _grant_batu_at_batu(client, people, tree, peran: str, subbagian: str = ""):
    """Post the back office's new-membership form for batu.sekretaris at KPU Kota Batu."""
    form = client.get("/admin/keanggotaan/new/")
    return client.post("/admin/keanggotaan/new/", data={
        "user": people["batu"].id, "satker": tree["35.79"].id, "peran": peran,
        "divisi": "", "subbagian": subbagian, "csrf_token": csrf_token_from(form.text),
    })


def _options(html: str, field: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select_html, re.S)]


def test_the_user_list_holds_only_accounts_of_the_admins_subtree(admin_jatim):
    page = admin_jatim.get("/admin/pengguna/")

    assert page.status_code == 200
    assert "batu.sekretaris" in page.text and "admin.jatim" in page.text
    assert "denpasar.sekretaris" not in page.text and "ri.ketua" not in page.text


def test_the_satker_list_and_its_count_are_scoped(admin_jatim):
    page = admin_jatim.get("/admin/satker/")

    assert "KPU Kota Batu" in page.text and "KPU Provinsi Jawa Timur" in page.text
    assert "Denpasar" not in page.text and "KPU Provinsi Bali" not in page.text
    assert re.search(r"\b3\b[^<]*</", page.text.split("Daftar", 1)[1])  # "Daftar (3)"


@pytest.mark.parametrize("view", ["edit", "details"])
def test_a_foreign_id_answers_like_a_missing_one(admin_jatim, people, view):
    foreign = admin_jatim.get(f"/admin/pengguna/{view}/?id={people['denpasar'].id}")
    missing = admin_jatim.get(f"/admin/pengguna/{view}/?id=999999")
    own = admin_jatim.get(f"/admin/pengguna/{view}/?id={people['batu'].id}")

    assert foreign.status_code == missing.status_code == 404
    assert own.status_code == 200 and "batu.sekretaris" in own.text


def test_foreign_satker_and_membership_ids_answer_404(db, admin_jatim, people, tree):
    denpasar_membership = db.session.scalar(select(Membership.id).where(Membership.user_id == people["denpasar"].id))
    assert admin_jatim.get(f"/admin/satker/details/?id={tree['51'].id}").status_code == 404
    assert admin_jatim.get(f"/admin/satker/details/?id={tree['35.79'].id}").status_code == 200
    assert admin_jatim.get(f"/admin/keanggotaan/details/?id={denpasar_membership}").status_code == 404
    assert admin_jatim.get("/admin/keanggotaan/details/?id=bukan-angka").status_code == 404


def test_deleting_a_foreign_account_is_refused_and_it_survives(db, admin_jatim, people):
    page = admin_jatim.get("/admin/pengguna/")

    response = admin_jatim.post("/admin/pengguna/delete/", data={
        "id": people["denpasar"].id, "csrf_token": csrf_token_from(page.text),
    })

    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "denpasar.sekretaris")) == 1


def test_an_account_that_signed_is_kept_and_the_admin_is_told_to_switch_it_off(db, admin_jatim, people, tree, caplog):
    from tests.documents import isi_contoh
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen

    pk = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.PK_SEKRETARIAT, people["batu"])
    isi_contoh(db.session, pk, people["batu"])
    operations.ajukan(db.session, pk, people["batu"])
    operations.tandatangani(db.session, pk, people["batu"])
    db.session.commit()
    page = admin_jatim.get("/admin/pengguna/")

    response = admin_jatim.post("/admin/pengguna/delete/", data={
        "id": people["batu"].id, "csrf_token": csrf_token_from(page.text)}, follow_redirects=True)

    assert response.status_code == 200
    assert _alerts(response.text) == [("danger", "Akun ini tidak dapat dihapus karena tercatat pada tanda tangan atau "
                                       "tinjauan dokumen. Nonaktifkan akun ini (hapus centang Aktif) agar tidak dapat "
                                       "masuk lagi.")]
    assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "batu.sekretaris")) == 1
    assert not [r for r in caplog.records if r.levelname == "ERROR" or r.exc_info], "no traceback for a refusal"


def test_an_account_without_history_is_deleted(db, admin_jatim, people):
    page = admin_jatim.get("/admin/pengguna/")

    response = admin_jatim.post("/admin/pengguna/delete/", data={
        "id": people["batu"].id, "csrf_token": csrf_token_from(page.text)}, follow_redirects=True)

    assert response.status_code == 200 and [kind for kind, _text in _alerts(response.text)] == ["success"]
    assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "batu.sekretaris")) == 0


def test_relation_choices_offer_only_the_subtree(admin_jatim):
    form = admin_jatim.get("/admin/keanggotaan/new/")

    assert _options(form.text, "satker") == ["KPU Provinsi Jawa Timur", "KPU Kota Malang", "KPU Kota Batu"]
    users = _options(form.text, "user")
    assert any("batu.sekretaris" in u for u in users)
    assert not any("denpasar" in u or "ri.ketua" in u for u in users)


def test_creating_an_account_in_the_subtree_works_and_outside_it_is_refused(db, admin_jatim, tree):
    form = admin_jatim.get("/admin/pengguna/new/")
    token = csrf_token_from(form.text)
    data = {"username": "malang.rendatin", "full_name": "Staf Rendatin Malang", "active": "y",
            "password": "kata-sandi-kuat-1", "csrf_token": token}

    outside = admin_jatim.post("/admin/pengguna/new/", data={**data, "satker": tree["51"].id})
    assert outside.status_code == 200 and "Not a valid choice" not in outside.text
    assert "Pilihan tidak valid" in outside.text
    assert db.session.scalar(select(User).where(User.username == "malang.rendatin")) is None

    inside = admin_jatim.post("/admin/pengguna/new/", data={**data, "satker": tree["35.73"].id})
    assert inside.status_code == 302
    created = db.session.scalar(select(User).where(User.username == "malang.rendatin"))
    assert created.satker.kode == "35.73" and created.password_hash.startswith("$argon2id$")


def test_a_duplicate_username_comes_back_beside_the_field(admin_jatim, tree):
    form = admin_jatim.get("/admin/pengguna/new/")

    response = admin_jatim.post("/admin/pengguna/new/", data={
        "username": "Batu.Sekretaris", "full_name": "Orang Lain", "satker": tree["35.79"].id,
        "password": "kata-sandi-kuat-1", "csrf_token": csrf_token_from(form.text),
    })

    assert response.status_code == 200
    assert "Nama pengguna sudah dipakai." in response.text
    assert 'value="Orang Lain"' in response.text


def test_a_malformed_username_is_explained_beside_the_field(db, admin_jatim, tree):
    form = admin_jatim.get("/admin/pengguna/new/")

    response = admin_jatim.post("/admin/pengguna/new/", data={
        "username": "nama dengan spasi", "full_name": "Orang Baru", "satker": tree["35.79"].id,
        "password": "kata-sandi-kuat-1", "csrf_token": csrf_token_from(form.text),
    })

    assert any("huruf kecil, angka" in e for e in _errors(response.text)), _errors(response.text)
    assert db.session.scalar(select(User).where(User.full_name == "Orang Baru")) is None


def test_a_reviewer_cannot_be_granted_at_a_kabupaten(db, admin_jatim, people, tree):
    response = _grant_batu_at_batu(admin_jatim, people, tree, "reviewer", "")

    assert response.status_code == 200
    assert "Reviewer hanya di KPU Provinsi atau KPU RI" in response.text
    assert len(db.session.get(User, people["batu"].id).memberships) == 1


def test_granting_a_subbagian_membership(db, admin_jatim, people, tree):
    response = _grant_batu_at_batu(admin_jatim, people, tree, "subbag", "rendatin")

    assert response.status_code == 302
    db.session.expire_all()
    roles = {(m.peran.value, m.subbagian and m.subbagian.value) for m in db.session.get(User, people["batu"].id).memberships}
    assert roles == {("sekretaris", None), ("subbag", "rendatin")}


def test_disabling_an_account_in_the_back_office_ends_its_sessions(app, db, admin_jatim, people, login):
    batu_client = login(people["batu"], c=app.test_client())
    assert batu_client.get("/").status_code == 200
    form = admin_jatim.get(f"/admin/pengguna/edit/?id={people['batu'].id}")

    response = admin_jatim.post(f"/admin/pengguna/edit/?id={people['batu'].id}", data={
        "username": "batu.sekretaris", "full_name": people["batu"].full_name,
        "satker": db.session.get(User, people["batu"].id).satker_id,
        "password": "", "csrf_token": csrf_token_from(form.text),  # "active" unticked
    })

    assert response.status_code == 302, _errors(response.text)
    assert batu_client.get("/").status_code == 302


def test_the_same_role_cannot_be_granted_twice(db, admin_jatim, people, tree):
    response = _grant_batu_at_batu(admin_jatim, people, tree, "sekretaris", "")

    assert "sudah memegang peran tersebut" in " ".join(_errors(response.text))
    assert db.session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == people["batu"].id)) == 1


def test_offices_are_read_only_in_the_back_office(admin_jatim, tree):
    response = admin_jatim.get(f"/admin/satker/edit/?id={tree['35.79'].id}")
    assert response.status_code == 302  # Flask-Admin sends a disabled view back to the list
    assert "/admin/satker/edit" not in admin_jatim.get("/admin/satker/").text


def test_back_office_forms_need_their_csrf_token(db, admin_jatim, tree):
    response = admin_jatim.post("/admin/pengguna/new/", data={
        "username": "tanpa.token", "full_name": "Tanpa Token", "satker": tree["35.79"].id, "password": "kata-sandi-kuat-1",
    })

    assert response.status_code == 400
    assert db.session.scalar(select(User).where(User.username == "tanpa.token")) is None


def test_the_back_office_speaks_indonesian(admin_jatim):
    page = admin_jatim.get("/admin/pengguna/")
    assert "Daftar" in page.text and "Tambah" in page.text and "Nama pengguna" in page.text


def test_the_kpu_ri_admin_sees_all_553_offices(db, client, login):
    from tenants.hierarchy import load_hierarchy
    from tests.factories import UserFactory, grant

    load_hierarchy(db.session)
    from tenants.accounts import find_satker

    ri = find_satker(db.session, "RI")
    admin = UserFactory(satker=ri)
    grant(admin, ri, "admin")
    db.session.commit()
    login(admin)

    assert "Anda dapat melihat 553 satker." in client.get("/").text
    assert "(553)" in client.get("/admin/satker/").text


def test_a_kabupaten_admin_cannot_touch_an_account_that_also_holds_rights_above(db, make_user, login, tree):
    from tests.factories import grant

    batu_admin = make_user("35.79", "admin", username="admin.batu")
    promoted = make_user("35.79", "ketua", username="batu.ketua")
    grant(promoted, tree["35"], "admin")  # also administers the province
    db.session.commit()
    client = login(batu_admin)

    assert "batu.ketua" not in client.get("/admin/pengguna/").text
    assert client.get(f"/admin/pengguna/edit/?id={promoted.id}").status_code == 404
    assert client.get(f"/admin/pengguna/details/?id={promoted.id}").status_code == 404
    form = client.get("/admin/keanggotaan/new/")
    assert not any("batu.ketua" in u for u in _options(form.text, "user"))


def test_foreign_and_missing_details_pages_are_identical(admin_jatim, people):
    foreign = admin_jatim.get(f"/admin/pengguna/details/?id={people['denpasar'].id}")
    missing = admin_jatim.get("/admin/pengguna/details/?id=999999")

    def strip(response):  # the echo of the id asked for, and per-request tokens
        return re.sub(r"id(=|%3D)\d+", "id=ASKED", re.sub(r'value="[^"]+"', "", response.text))

    assert foreign.status_code == missing.status_code == 404
    assert strip(foreign) == strip(missing)


@pytest.mark.parametrize("url", [
    "/admin/pengguna/details/?id=99999999999999999999",
    "/admin/pengguna/edit/?id=-1",
    "/admin/keanggotaan/details/?id=0",
])
def test_ids_out_of_range_answer_404(admin_jatim, url):
    assert admin_jatim.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/admin/pengguna/?page=-5", "/admin/pengguna/?page=99999999999999999999",
                                 "/admin/pengguna/?search=%00", "/satker/%00"])
def test_malformed_query_strings_never_give_a_500(admin_jatim, url):
    assert admin_jatim.get(url).status_code in (200, 302, 400, 404)


def test_memberships_are_granted_and_revoked_not_edited(db, admin_jatim, people):
    membership = db.session.scalar(select(Membership.id).where(Membership.user_id == people["batu"].id))
    assert admin_jatim.get(f"/admin/keanggotaan/edit/?id={membership}").status_code == 302
    assert "keanggotaan/edit" not in admin_jatim.get("/admin/keanggotaan/").text


def test_a_database_error_is_never_shown_to_the_user(db, admin_jatim, people, tree, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    def fail(*args, **kwargs):
        raise IntegrityError("INSERT INTO user_account ... $argon2id$secret", {}, Exception("boom"))

    monkeypatch.setattr("webapp.admin.accounts.set_password", fail)
    form = admin_jatim.get("/admin/pengguna/new/")
    response = admin_jatim.post("/admin/pengguna/new/", data={
        "username": "baru.sekali", "full_name": "Baru", "satker": tree["35.79"].id,
        "password": "kata-sandi-kuat-1", "csrf_token": csrf_token_from(form.text),
    })

    assert response.status_code in (200, 302)
    page = admin_jatim.get("/admin/pengguna/").text if response.status_code == 302 else response.text
    assert "argon2" not in page and "INSERT" not in page
