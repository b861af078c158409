"""PDFs are laid out by a renderer process at a lower CPU priority (SAKIP_PDF_NICE), so that on
busy cores the page views run first: what an operator checks with ``ps -o pid,ni`` and ``kill``."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import weasyprint

from webapp import config
from webapp import pdf
from webapp.extensions import cache

WAIT = 20  # seconds; a spawn start-up takes about one on this machine


def running(pid: int) -> bool:
    """Alive as ``ps`` shows it: a zombie (dead, not yet reaped by its new parent) is not."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):  # gone, or reaped while its file was read
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def ended(pid: int) -> bool:
    deadline = time.monotonic() + WAIT
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not running(pid)


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def renderer(app) -> dict | None:
    with app.app_context():
        return pdf.renderer_about()


def download(app, login, user, dokumen):
    with app.app_context():
        cache.clear()  # laid out now, not taken from an earlier test's cache
    response = login(user, c=app.test_client()).get(f"/dokumen/{dokumen.id}/unduh.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    return response


def renderer_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "pembuat PDF" in r.getMessage()]


@pytest.fixture
def renderer_on(app, monkeypatch):
    """The default setting, whatever SAKIP_PDF_NICE this test run was started with."""
    if os.getpriority(os.PRIO_PROCESS, 0) >= 19:
        pytest.skip("this process already runs at the lowest priority: nothing can be nicer")
    monkeypatch.setitem(app.config, "SAKIP_PDF_NICE", 10)


def test_a_download_is_laid_out_by_a_nicer_process_that_loads_no_flask(
        db, app, login, people, make_dokumen, monkeypatch, renderer_on):
    dokumen = make_dokumen("pk_komisi")
    about = renderer(app)
    assert about["pid"] != os.getpid() and running(about["pid"])
    assert about["nice"] == os.getpriority(os.PRIO_PROCESS, about["pid"]) > os.getpriority(os.PRIO_PROCESS, 0)
    assert not about["flask"], "the renderer imports WeasyPrint, not the app"

    def not_here(*_args, **_kwargs):
        raise AssertionError("laid out in the server process")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", not_here)
    before = cpu_ticks(about["pid"])
    download(app, login, people("35.79").ketua, dokumen)
    assert cpu_ticks(about["pid"]) > before, "the renderer did the work"
    assert renderer(app)["pid"] == about["pid"], "one renderer serves every download"


def test_a_killed_renderer_costs_the_download_nothing_and_the_next_download_gets_a_new_one(
        db, app, login, people, make_dokumen, caplog, renderer_on):
    dokumen, ketua = make_dokumen("pk_komisi"), people("35.79").ketua
    killed = renderer(app)["pid"]
    os.kill(killed, signal.SIGKILL)  # as the OOM killer does
    assert ended(killed)

    with caplog.at_level(logging.WARNING):
        download(app, login, ketua, dokumen)
        assert len(renderer_warnings(caplog)) == 1, "laid out in the server process this once, and said so"
        download(app, login, ketua, dokumen)
    assert len(renderer_warnings(caplog)) == 1, "the next download went to a new renderer"
    fresh = renderer(app)
    assert fresh["pid"] != killed and running(fresh["pid"])
    assert os.getpriority(os.PRIO_PROCESS, fresh["pid"]) > os.getpriority(os.PRIO_PROCESS, 0)


def test_with_sakip_pdf_nice_0_the_request_s_own_process_lays_it_out(db, app, login, people, make_dokumen,
                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "SAKIP_PDF_NICE", 0)
    laid_out_in = []
    real = pdf.pdf_render.render
    monkeypatch.setattr(pdf.pdf_render, "render", lambda html: (laid_out_in.append(os.getpid()), real(html))[1])
    download(app, login, people("35.79").ketua, make_dokumen("pk_komisi"))
    assert laid_out_in == [os.getpid()]
    assert renderer(app) is None


def test_a_layout_longer_than_the_limit_answers_503_and_the_next_download_gets_a_new_renderer(
        db, app, login, people, make_dokumen, monkeypatch, caplog, renderer_on):
    dokumen, ketua = make_dokumen("pk_komisi"), people("35.79").ketua
    stuck = renderer(app)["pid"]  # started and answering: the limit below is the layout's alone
    rows = "".join(f"<tr><td>{n}</td><td>Kegiatan {n}</td></tr>" for n in range(20_000))
    with monkeypatch.context() as m:
        m.setitem(app.config, "SAKIP_PDF_TIMEOUT", 0.5)
        m.setattr(pdf, "html_dokumen", lambda _dokumen, _revisi: f"<table>{rows}</table>")
        with app.app_context():
            cache.clear()
        with caplog.at_level(logging.WARNING):
            response = login(ketua, c=app.test_client()).get(f"/dokumen/{dokumen.id}/unduh.pdf")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "PDF belum selesai dibuat dalam 0,5 detik" in response.text
    assert any("tidak selesai dalam 0.5 detik" in r.getMessage() for r in caplog.records)
    assert ended(stuck), "the stuck renderer was stopped, not left laying out"

    assert download(app, login, ketua, dokumen).data.startswith(b"%PDF-")
    assert renderer(app)["pid"] != stuck


def test_a_download_queued_behind_a_stopped_layout_goes_to_a_new_renderer(app, caplog, renderer_on, monkeypatch):
    """Two downloads on one server process: the first never ends in time and is stopped;
    the second, queued behind it in the same renderer, is laid out by a new one (not in
    the server process, where nothing would limit it)."""
    import threading

    monkeypatch.setitem(app.config, "SAKIP_PDF_TIMEOUT", 3)  # a new renderer starts in about 1 s
    with app.app_context():
        stuck = pdf.renderer_about()["pid"]  # started: the limits below are the layouts' alone
    rows = "".join(f"<tr><td>{n}</td><td>Kegiatan {n}</td></tr>" for n in range(20_000))
    outcomes: dict[str, object] = {}

    def download(name: str, html: str) -> None:
        with app.test_request_context("/"):
            try:
                outcomes[name] = pdf.lay_out(html)
            except pdf.TerlaluLama as exc:
                outcomes[name] = exc

    long = threading.Thread(target=download, args=("long", f"<table>{rows}</table>"))
    short = threading.Thread(target=download, args=("short", "<p>Perjanjian Kinerja</p>"))
    with caplog.at_level(logging.WARNING):
        long.start()
        time.sleep(0.3)  # queued behind the long one
        short.start()
        long.join(WAIT)
        short.join(WAIT)
    assert isinstance(outcomes["long"], pdf.TerlaluLama)
    assert outcomes["short"].startswith(b"%PDF-"), "laid out after all"
    assert renderer_warnings(caplog) == [], "by a renderer, not in the server process"
    assert ended(stuck)
    with app.app_context():
        assert pdf.renderer_about()["pid"] != stuck


def test_the_limit_reads_0_and_off_as_none(tmp_path, monkeypatch):
    monkeypatch.delenv("SAKIP_PDF_TIMEOUT", raising=False)
    assert config.default_config(tmp_path)["SAKIP_PDF_TIMEOUT"] == 30
    for off in ("0", "off", "", "-1"):
        monkeypatch.setenv("SAKIP_PDF_TIMEOUT", off)
        assert config.default_config(tmp_path)["SAKIP_PDF_TIMEOUT"] is None, off


@pytest.mark.parametrize("nice", [10, 0])
def test_an_error_in_weasyprint_surfaces_as_it_does_in_the_server_process(app, monkeypatch, nice):
    monkeypatch.setitem(app.config, "SAKIP_PDF_NICE", nice)
    with app.app_context(), pytest.raises(TypeError, match="^Expected exactly one source, got nothing$"):
        pdf.lay_out(None)


def test_the_setting_reads_off_as_0_and_defaults_to_10(tmp_path, monkeypatch):
    monkeypatch.delenv("SAKIP_PDF_NICE", raising=False)
    assert config.default_config(tmp_path)["SAKIP_PDF_NICE"] == 10
    for off in ("0", "off", "OFF", ""):
        monkeypatch.setenv("SAKIP_PDF_NICE", off)
        assert config.default_config(tmp_path)["SAKIP_PDF_NICE"] == 0, off
    monkeypatch.setenv("SAKIP_PDF_NICE", "5")
    assert config.default_config(tmp_path)["SAKIP_PDF_NICE"] == 5


# A server process (a gunicorn worker) that starts its renderer, then exits or is killed.
SERVER = """
import os, sys, time
from webapp import pdf
print(pdf.renderer(10).submit(os.getpid).result(), flush=True)
if sys.argv[1] == "sigkill":
    time.sleep(60)
"""


@pytest.mark.parametrize("end", ["exit", "sigkill"])
def test_the_renderer_ends_with_its_server_process(end):
    """gunicorn recycles a worker after max_requests (it exits) and kills a stuck one (SIGKILL):
    no renderer outlives it."""
    server = subprocess.Popen([sys.executable, "-c", SERVER, end], stdout=subprocess.PIPE, text=True)
    try:
        child = int(server.stdout.readline())
        assert running(child)
        if end == "sigkill":
            server.kill()
        assert server.wait(WAIT) == (-signal.SIGKILL if end == "sigkill" else 0)
        assert ended(child)
    finally:
        server.kill()
        server.wait()
