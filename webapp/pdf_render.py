"""WeasyPrint's layout of a finished HTML page into PDF bytes: all that the renderer process needs.

``webapp.pdf`` runs ``render`` in a process of its own at a lower CPU priority
(``SAKIP_PDF_NICE``), so that a PDF being laid out waits for the page views on busy cores
instead of the other way round. This module imports WeasyPrint and the standard library
only: the renderer never loads Flask, the models or the templates.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher that serves ``data:`` URIs and refuses everything else
    (http, https, ftp, file): a PDF is built from what the template holds."""

    def fetch(self, url, headers=None):
        if not url.lower().startswith("data:"):
            raise ValueError(f"sumber luar tidak diambil saat membuat PDF: {url[:80]}")
        return super().fetch(url, headers)


def render(html: str) -> bytes:
    return HTML(string=html, base_url=None, url_fetcher=LocalOnlyFetcher()).write_pdf()


def start() -> None:
    """The renderer's first step, before its first PDF (already nicer: webapp.pdf_pool)."""
    # Ctrl-C reaches the whole process group: the renderer ends when its server shuts it
    # down, not with a traceback in the middle of a PDF.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="pdf-renderer-parent", daemon=True).start()


def _exit_with_parent() -> None:
    # A server process that exits normally shuts its renderer down (concurrent.futures'
    # atexit); one that is SIGKILLed (gunicorn's timeout, the OOM killer) runs nothing, but
    # its end of this pipe closes.
    multiprocessing.connection.wait([multiprocessing.parent_process().sentinel])
    os._exit(0)


def about() -> dict:
    """Who renders: what an operator (and the tests) can check of the renderer."""
    return {"pid": os.getpid(), "nice": os.getpriority(os.PRIO_PROCESS, 0), "flask": "flask" in sys.modules}
