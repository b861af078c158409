"""A document kind is declared in one place: a copy of the code given an eighth kind (its
declaration appended to ``workflow/dokumen/jenis.py``, plus a migration adding its row) lists it
on the office's documents page, lets its penyusun create and edit it, and gets it signed
by every signatory it declares, on a fresh database, through the web.

The eighth kind is an IKU (Indikator Kinerja Utama, DOMAIN.md: "Renstra, IKU, RKT, RAK and
both PKs must line up"): an RKT-shaped table the Sekretariat compiles, signed by the
Sekretaris and acknowledged by the Ketua, so two signatures make it signed. A place that
still knew only the seven kinds (a list, a dict, a CASE in a trigger) fails it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from tenants.db import db as _db
from webapp import create_app
from workflow.dokumen.jenis import JENIS

ROOT = Path(__file__).resolve().parents[1]

DEKLARASI = """    Jenis("iku", Bentuk.RKT, Sisi.SEKRETARIAT, "IKU", "Indikator Kinerja Utama", Peran.SEKRETARIS,
          (Penandatangan(Kapasitas.SEKRETARIS, Peran.SEKRETARIS), Penandatangan(Kapasitas.MENGETAHUI, Peran.KETUA))),
"""
AKHIR = "\n)  # end of JENIS\n"

MIGRASI = '''"""An eighth kind: the IKU.

Revision ID: 8e1a2b3c4d5e
Revises: {head}
"""
from alembic import op

revision = "8e1a2b3c4d5e"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("INSERT INTO jenis_dokumen (kode, jumlah_penandatangan) VALUES ('iku', 2)")


def downgrade():
    op.execute("DELETE FROM jenis_dokumen WHERE kode = 'iku'")
'''

# Runs inside the copy: everything through the web, as the office's people would.
CERITA = r'''
import re
import sys
from html.parser import HTMLParser

import sqlalchemy as sa
from flask_migrate import upgrade

from tenants.accounts import grant
from tenants.db import db
from tenants.hierarchy import Office, load_hierarchy
from tenants.passwords import hash_password
from tenants.people import Peran, User
from tenants.satker import Satker, Tingkat
from webapp import create_app

SANDI = "rahasia-uji-123"


class Forms(HTMLParser):
    """Every form of a page: its action and the values it would send as it stands."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("action", ""), {}))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio", "submit"):
            self.forms[-1][1][a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and (self._select not in self.forms[-1][1] or "selected" in a):
            self.forms[-1][1][self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1][1][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][1][self._textarea] += data


def form(page: str, action: str, here: str) -> dict:
    parser = Forms()
    parser.feed(page)
    found = [values for act, values in parser.forms if (act or here) == action]
    assert found, f"no form posting to {action}: {[a for a, _ in parser.forms]}"
    return dict(found[0])


def kirim(client, page_url: str, action: str, **isi):
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    response = client.post(action, data={**form(page.text, action, page_url), **isi})
    assert response.status_code == 302, (action, response.status_code, response.text[-3000:])
    return response


def masuk(app, user):
    client = app.test_client()
    page = client.get("/masuk")
    response = client.post("/masuk", data={**form(page.text, "/masuk", "/masuk"), "username": user, "password": SANDI})
    assert response.status_code == 302 and not response.location.startswith("/masuk"), response.text
    return client


def akun(session, satker, username, peran):
    user = User(username=username, full_name=username.title(), satker_id=satker.id, password_hash=hash_password(SANDI),
                active=True)
    session.add(user)
    session.flush()
    grant(session, user, satker, peran, None, None)
    return user


def main(url):
    app = create_app({"TESTING": True, "SECRET_KEY": "uji", "SQLALCHEMY_DATABASE_URI": url,
                      "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session, [Office("RI", "KPU RI", Tingkat.PUSAT, None),
                                    Office("35", "KPU Provinsi Jawa Timur", Tingkat.PROVINSI, "RI"),
                                    Office("35.79", "KPU Kota Batu", Tingkat.KABKOTA, "35")])
        batu = db.session.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
        akun(db.session, batu, "batu.sekretaris", Peran.SEKRETARIS)
        akun(db.session, batu, "batu.ketua", Peran.KETUA)
        db.session.commit()

    sekretaris = masuk(app, "batu.sekretaris")
    daftar = sekretaris.get("/satker/35.79/dokumen?tahun=2025")
    assert daftar.status_code == 200 and "IKU" in daftar.text, "the IKU is not listed"
    buat = kirim(sekretaris, "/satker/35.79/dokumen?tahun=2025", "/satker/35.79/dokumen/2025/iku")
    dokumen_url = buat.location
    dokumen_id = int(re.search(r"/dokumen/(\d+)$", dokumen_url).group(1))
    halaman = sekretaris.get(dokumen_url).text
    assert "<title>IKU KPU Kota Batu 2025" in halaman and "Indikator Kinerja Utama <small" in halaman, \
        "the IKU's label and title are not shown"

    sasaran = kirim(sekretaris, f"/dokumen/{dokumen_id}/sasaran", f"/dokumen/{dokumen_id}/sasaran",
                    uraian="Meningkatnya kualitas penyelenggaraan pemilu")
    halaman = sekretaris.get(dokumen_url).text
    assert "Meningkatnya kualitas penyelenggaraan pemilu" in halaman, "the editor did not save the sasaran"
    kunci = re.search(rf"/dokumen/{dokumen_id}/sasaran/([^/\"]+)/indikator", halaman).group(1)
    indikator = f"/dokumen/{dokumen_id}/sasaran/{kunci}/indikator"
    kirim(sekretaris, indikator, indikator, uraian="Persentase partisipasi pemilih", target="77,5%")
    assert "Persentase partisipasi pemilih" in sekretaris.get(dokumen_url).text, "the indikator was not saved"

    aksi = f"/dokumen/{dokumen_id}/aksi/"
    kirim(sekretaris, dokumen_url, aksi + "submit")
    kirim(sekretaris, dokumen_url, aksi + "sign")
    assert "Diajukan" in sekretaris.get(dokumen_url).text
    ketua = masuk(app, "batu.ketua")
    kirim(ketua, dokumen_url, aksi + "sign")
    halaman = ketua.get(dokumen_url).text
    assert "Ditandatangani" in halaman, "two signatures did not make the IKU signed"
    assert "Mengetahui, Ketua" in halaman

    with app.app_context():
        status, ttd = db.session.execute(sa.text(
            "SELECT d.status, (SELECT count(*) FROM tanda_tangan t JOIN revisi r ON r.id = t.revisi_id "
            "WHERE r.dokumen_id = d.id) FROM dokumen d WHERE d.id = :id"), {"id": dokumen_id}).one()
        db.engine.dispose()
    assert (status, ttd) == ("signed", 2), (status, ttd)
    print("IKU ditandatangani")


main(sys.argv[1])
'''


def _copy_with_an_eighth_kind(tmp_path: Path) -> Path:
    copy = tmp_path / "sakip"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "tests", "bench",
                                                               "*.egg-info", "node_modules"))
    jenis = copy / "workflow" / "dokumen" / "jenis.py"
    text = jenis.read_text(encoding="utf-8")
    assert text.count(AKHIR) == 1, "workflow/dokumen/jenis.py no longer ends its declarations where this test appends"
    jenis.write_text(text.replace(AKHIR, "\n" + DEKLARASI.rstrip("\n") + AKHIR), encoding="utf-8")
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    (copy / "migrations" / "versions" / "2099_01_01_8e1a2b3c4d5e_iku.py").write_text(
        MIGRASI.format(head=head), encoding="utf-8")
    (copy / "cerita_iku.py").write_text(CERITA, encoding="utf-8")
    return copy


def test_an_eighth_kind_declared_in_one_place_is_listed_edited_and_signed(tmp_path, backend, fresh_database_url):
    copy = _copy_with_an_eighth_kind(tmp_path)
    url = fresh_database_url(backend)
    env = {**os.environ, "PYTHONPATH": str(copy)}
    result = subprocess.run([sys.executable, "cerita_iku.py", url], cwd=copy, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    assert "IKU ditandatangani" in result.stdout


def test_the_database_knows_every_declared_kind_with_its_signatory_count(backend, fresh_database_url):
    """The rows the migrations wrote agree with the declarations: a kind declared without
    its migration (or with another signatory count) fails here, not at its first signing."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": fresh_database_url(backend)})
    with app.app_context():
        upgrade()
        with _db.engine.connect() as conn:
            rows = dict(conn.execute(sa.text("SELECT kode, jumlah_penandatangan FROM jenis_dokumen")).all())
        _db.engine.dispose()
    assert rows == {j.kode: len(j.penandatangan) for j in JENIS}
