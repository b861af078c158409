"""The dashboard and the import pages speak the language the user chose: Bahasa Indonesia
by default, English after choosing it (the official PDFs stay Indonesian either way)."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from


def _pilih_bahasa(client, lang: str) -> None:
    page = client.get("/")
    response = client.post("/bahasa", data={"lang": lang, "next": "/", "csrf_token": csrf_token_from(page.text)})
    assert response.status_code == 302, response.text


@pytest.fixture
def batu_client(app, login, people, make_dokumen):
    """Kota Batu's sekretaris, signed in, with a draft RAK to look at and import into."""
    rak = make_dokumen("rak_sekretariat", baris=2)
    client = login(people("35.79").sekretaris, c=app.test_client())
    return client, rak


DASBOR_ID = ["Dasbor kinerja KPU Kota Batu", ">Dasbor</a>", "Kode kegiatan", "Perkiraan biaya", "Program terhadap pagu",
             "Belum ada PK Komisi tahun 2024."]
DASBOR_EN = ["Performance dashboard of KPU Kota Batu", ">Dashboard</a>", "Activity code", "Estimated cost",
             "Programmes against the budget ceiling", "No PK Komisi for 2024 yet."]

IMPOR_ID = ["Impor dari Excel / tempel tabel", "Berkas Excel (.xlsx)", "atau tempel tabel dari Word, PDF atau Excel",
            "Periksa (uji coba)", "Tidak ada yang disimpan sebelum Anda menekan <strong>Terapkan</strong>"]
IMPOR_EN = ["Import from Excel / paste a table", "Excel file (.xlsx)", "or paste a table from Word, PDF or Excel",
            "Check (dry run)", "Nothing is saved until you press <strong>Apply</strong>"]


def test_the_dashboard_in_indonesian_then_in_english(batu_client):
    client, _rak = batu_client
    html = client.get("/satker/35.79/dasbor?tahun=2024").text
    assert all(text in html for text in DASBOR_ID), [t for t in DASBOR_ID if t not in html]
    assert not any(text in html for text in DASBOR_EN)

    _pilih_bahasa(client, "en")
    html = client.get("/satker/35.79/dasbor?tahun=2024").text
    assert '<html lang="en">' in html
    assert all(text in html for text in DASBOR_EN), [t for t in DASBOR_EN if t not in html]
    assert not any(text in html for text in DASBOR_ID)


def test_the_import_form_in_indonesian_then_in_english(batu_client):
    client, rak = batu_client
    html = client.get(f"/dokumen/{rak.id}/impor").text
    assert all(text in html for text in IMPOR_ID), [t for t in IMPOR_ID if t not in html]
    assert not any(text in html for text in IMPOR_EN)
    assert "Impor dari Excel / tempel tabel" in client.get(f"/dokumen/{rak.id}").text

    _pilih_bahasa(client, "en")
    html = client.get(f"/dokumen/{rak.id}/impor").text
    assert all(text in html for text in IMPOR_EN), [t for t in IMPOR_EN if t not in html]
    assert not any(text in html for text in IMPOR_ID)
    detail = client.get(f"/dokumen/{rak.id}").text
    assert "Import from Excel / paste a table" in detail and "Download Excel" in detail

    # A message raised by the web layer follows the language too.
    empty = client.post(f"/dokumen/{rak.id}/impor", data={"csrf_token": csrf_token_from(html), "teks": ""},
                        content_type="multipart/form-data")
    assert empty.status_code == 422
    assert "Choose an .xlsx, .ods or .csv file, or paste a table into the text box." in empty.text

    _pilih_bahasa(client, "id")
    html = client.get(f"/dokumen/{rak.id}/impor").text
    assert all(text in html for text in IMPOR_ID)
