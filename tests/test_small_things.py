"""Smaller things seen (issue 14 point 11): the RAK PDF's total stays in its column, a PK
without programs prints no empty program table, letters in an amount are told they are not
an amount, the realisation grid marks the cell it refused, the site has an icon, and the
demo takes the port it is given."""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import csrf_token_from, system_tool
from tests.documents import baris_contoh
from tests.test_export_pdf import kepala_resmi, render
from tests.test_export_xlsx import open_xlsx
from tests.test_import import dry_run
from tests.test_realisasi import PARTISIPASI, _versi, buat_pk, kunci
from webapp.exports import xlsx
from workflow import sheet_layout as L
from workflow.dokumen import operations
from workflow.schedule import BentukJadwal

ROOT = Path(__file__).resolve().parent.parent


# -- the RAK PDF's total ----------------------------------------------------------------------------

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _words(pdf: bytes, tmp_path) -> list[tuple[float, float, float, float, str]]:
    """Every word of the first page with its box in points (poppler's ``pdftotext -bbox``)."""
    path = tmp_path / "rak.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([system_tool("pdftotext", package="poppler-utils"), "-bbox", "-f", "1", "-l", "1",
                          str(path), "-"], capture_output=True, check=True, text=True).stdout
    return [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in _WORD.findall(out)]


@pytest.mark.parametrize("bentuk", list(BentukJadwal))
def test_the_rak_pdfs_total_ends_before_the_pelaksana_column(db, app, people, make_dokumen, tmp_path, bentuk):
    # Kota Batu's programs: Rp 19.527.520.000 in two rows, as its RAK adds up.
    rak = make_dokumen("rak_sekretariat", baris=0)
    sekretaris = people("35.79").sekretaris
    kepala = kepala_resmi()
    kepala.bentuk_jadwal = bentuk
    operations.ubah_kepala(db.session, rak, sekretaris, kepala, versi=None)
    for no, biaya in ((1, 18_384_118_000), (2, 1_143_402_000)):
        operations.simpan_baris(db.session, rak, sekretaris, baris_contoh(no, "kul", biaya=biaya))
    db.session.commit()
    words = _words(render(app, rak), tmp_path)

    # The Pelaksana column starts 1 mm (its padding) left of its text.
    pelaksana = min(x0 for x0, _y0, _x1, _y1, w in words if w == "Subbagian") - 72 / 25.4
    total = [w for w in words if w[4] == "19.527.520.000"]
    assert total, "the total is printed"
    x0, y0, x1, _y1, _w = total[-1]
    assert x1 <= pelaksana, f"{bentuk.value}: the total ends at {x1:.1f}pt, Pelaksana starts at {pelaksana:.1f}pt"
    rp = [w for w in words if w[4] == "Rp" and abs(w[1] - y0) < 1 and w[2] <= x0]
    assert rp, "the total's Rp on the same line"
    for amount in ("18.384.118.000", "1.143.402.000"):
        assert all(w[2] <= pelaksana for w in words if w[4] == amount), amount
    jumlah = next(w for w in words if w[4] == "Jumlah" and abs(w[1] - y0) < 1)
    assert jumlah[2] < rp[-1][0], "the label before the total, on its line"


# -- a PK without programs in Excel -----------------------------------------------------------------

def _cells(ws) -> list:
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def test_a_pk_komisi_without_programs_prints_no_program_table_and_comes_back_unchanged(db, make_dokumen, people):
    pk = make_dokumen("pk_komisi")
    ketua = people("35.79").ketua
    operations.simpan_program(db.session, pk, ketua, [], versi=None)
    db.session.commit()
    data = xlsx.dokumen_xlsx(pk)
    _wb, ws = open_xlsx(data)
    values = _cells(ws)
    assert "Anggaran" not in values and "Program" not in values, "no program header"
    assert L.TOTAL_LABEL not in values and 0 not in values, "no 'Jumlah Rp 0'"
    assert "Ketua KPU Kota Batu," in values, "the signature block follows the PK table"

    # The import needs no program table: the file comes back as no change at all.
    plan = dry_run(db, pk, data, ketua)
    assert plan.kosong and not plan.masalah and not plan.penolakan, plan.teks()
    # ... and a program added since the export is kept: the file does not remove it.
    operations.simpan_program(db.session, pk, ketua, [operations.ProgramData("076.01.CQ", "Program CQ", 5)], versi=None)
    db.session.commit()
    plan = dry_run(db, pk, data, ketua)
    assert plan.kosong, plan.teks()


def test_a_pk_with_programs_still_prints_its_program_table_and_total(db, make_dokumen):
    pk = make_dokumen("pk_komisi")
    _wb, ws = open_xlsx(xlsx.dokumen_xlsx(pk))
    values = _cells(ws)
    assert "Anggaran" in values and L.TOTAL_LABEL in values and 19_527_520_000 in values


# -- letters in an amount --------------------------------------------------------------------------

@pytest.mark.parametrize("typed, message", [
    ("abc", "&#39;abc&#39; bukan jumlah rupiah: tulis mis. 1.250.000"),
    ("Rp 1,5 juta", "&#39;Rp 1,5 juta&#39; bukan jumlah rupiah: tulis mis. 1.250.000"),
    ("1.250.000,50", "Tulis jumlah rupiah tanpa sen, mis. Rp 10.604.086.100."),
])
def test_an_amount_that_is_not_one_says_so(db, client, login, people, make_dokumen, typed, message):
    rak = make_dokumen("rak_sekretariat", baris=1)
    login(people("35.79").sekretaris)
    page = client.get(f"/dokumen/{rak.id}/baris").text
    response = client.post(f"/dokumen/{rak.id}/baris", data={
        "csrf_token": csrf_token_from(page), "versi": re.search(r'name="versi" type="hidden" value="(\d+)"', page)[1],
        "indikator": "Indikator", "target": "100%", "polaritas": "naik", "kegiatan": "Rapat", "biaya": typed,
        "pelaksana": "kul", "jadwal": ["1"]})
    assert response.status_code == 422
    assert message in response.text
    if "tanpa sen" not in message:
        assert "tanpa sen" not in response.text.replace("anggaran dalam rupiah tanpa sen", "")


# -- the realisation grid marks the cell it refused ---------------------------------------------------

def _cell(page: str, name: str) -> str:
    """The <td> that holds the input ``name``."""
    at = page.index(f'name="{name}"')
    return page[page.rindex("<td", 0, at):page.index("</td>", at)]


def test_the_grid_marks_each_refused_cell_with_its_message(db, app, login, people, tree, make_dokumen):
    pk = buat_pk(db, tree, people)
    c = login(people("35.79").ketua, c=app.test_client())
    page = c.get(f"/dokumen/{pk.id}/realisasi").text
    k = kunci(pk, PARTISIPASI)
    response = c.post(f"/dokumen/{pk.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), "versi": _versi(page), f"r-{k}-1": "abc", f"r-{k}-2": "70%",
        f"r-{k}-3": "", f"b-{k}-3": "laporan"})
    assert response.status_code == 422
    bad = _cell(response.text, f"r-{k}-1")
    assert "sel-salah" in bad and 'aria-invalid="true"' in bad
    assert f'aria-describedby="salah-r-{k}-1"' in bad and f'id="salah-r-{k}-1"' in bad
    assert "&#39;abc&#39; tidak terbaca sebagai angka" in bad
    assert "sel-salah" in _cell(response.text, f"b-{k}-3") and "bukti diisi tetapi realisasinya kosong" in \
        _cell(response.text, f"b-{k}-3")
    good = _cell(response.text, f"r-{k}-2")
    assert "sel-salah" not in good and "aria-invalid" not in good


def test_the_rak_grid_marks_a_refused_amount(db, app, login, people, make_dokumen):
    rak = make_dokumen("rak_sekretariat", baris=1)
    batu = people("35.79")
    operations.ajukan(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.sekretaris)
    operations.tandatangani(db.session, rak, batu.ketua)
    db.session.commit()
    baris = rak.revisi_aktif.baris[0].kunci
    c = login(batu.subbag_kul, c=app.test_client())
    page = c.get(f"/dokumen/{rak.id}/realisasi").text
    response = c.post(f"/dokumen/{rak.id}/realisasi", data={
        "csrf_token": csrf_token_from(page), "versi_rak": _versi(page, "versi_rak"), f"a-{baris}-1": "satu juta"})
    assert response.status_code == 422
    bad = _cell(response.text, f"a-{baris}-1")
    assert "sel-salah" in bad and 'aria-invalid="true"' in bad and "&#39;satu juta&#39; bukan jumlah rupiah" in bad
    assert 'value="satu juta"' in bad


# -- an icon -----------------------------------------------------------------------------------------

def test_the_site_has_an_icon_at_favicon_ico_and_every_page_links_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype.startswith("image/")
    assert response.data[:4] == b"\x00\x00\x01\x00", "an ICO file"
    page = client.get("/masuk").text
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert links
    for href in links:
        icon = client.get(href)
        assert icon.status_code == 200 and icon.mimetype.startswith("image/"), href


# -- the demo's port ---------------------------------------------------------------------------------

@pytest.fixture
def demo_tree(tmp_path):
    """The real scripts/run-demo in a checkout of its own whose setup and ``sakip`` only
    write down how they were called (the real ones take minutes and keep the port busy)."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "run-demo", tmp_path / "scripts" / "run-demo")
    log = tmp_path / "calls.log"
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    for path, name in ((tmp_path / "scripts" / "setup", "setup"), (tmp_path / ".venv" / "bin" / "sakip", "sakip")):
        path.write_text(f'#!/usr/bin/env bash\necho "{name} $*" >> "{log}"\n')
        path.chmod(0o755)
    return tmp_path


def _run_demo(tree: Path, *args: str, port: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SAKIP_PORT"}
    if port is not None:
        env["SAKIP_PORT"] = port
    return subprocess.run(["bash", str(tree / "scripts" / "run-demo"), *args], env=env, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("args, port, serves", [
    ((), None, "5000"),
    ((), "8123", "8123"),
    (("8080",), None, "8080"),
    (("8080",), "8123", "8080"),  # the argument wins over the environment
])
def test_run_demo_serves_on_the_port_it_is_given(demo_tree, args, port, serves):
    result = _run_demo(demo_tree, *args, port=port)
    assert result.returncode == 0, result.stderr
    assert (demo_tree / "calls.log").read_text().splitlines() == [
        "setup ", "sakip demo", f"sakip serve --host 127.0.0.1 --port {serves}"]


@pytest.mark.parametrize("bad", ["abc", "0", "70000", "80 80"])
def test_run_demo_refuses_a_port_that_is_not_one_before_setting_anything_up(demo_tree, bad):
    result = _run_demo(demo_tree, port=bad)
    assert result.returncode == 2 and f"port '{bad}' tidak sah" in result.stderr
    assert not (demo_tree / "calls.log").exists()
