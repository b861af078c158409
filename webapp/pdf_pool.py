"""Where PDFs are laid out: the renderer process beside each server process, and the
cache of finished PDFs.

``webapp.pdf`` builds a document's HTML and asks ``lay_out`` for its PDF (it is kept under
the hash of that HTML: ``cache_key``, ``cache_get``, ``cache_set``). ``webapp.pdf_render``
is what runs in the renderer: WeasyPrint and the standard library only.
"""
from __future__ import annotations

import hashlib
import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from flask import current_app, has_request_context

from webapp import pdf_render
from webapp.extensions import cache


# -- the renderer process --------------------------------------------------------------------
# A layout is 110-280 ms of CPU. In the request's own process it competes with the page
# views on the cores as an equal; in a renderer process with a higher nice value the OS
# runs the page views first and the PDF with what is left. One renderer per server process
# (a gunicorn worker), started by gunicorn.conf.py when the worker starts (``warm``), else at its first PDF.

_renderer_lock = threading.Lock()
_renderer: tuple[tuple[int, int], ProcessPoolExecutor] | None = None

# The renderer's first step, stdlib only since it is unpickled before anything of ours:
# ``webapp`` there is a bare package around this folder, because importing the real one
# (webapp/__init__.py: Flask, the models) would cost every renderer 1.5 s and 50 MB. Nicer
# before anything is imported: WeasyPrint's import is a second of CPU, and four workers
# starting their renderers at once held up the page views for several seconds.
_BOOT = """
import os, sys, types
os.nice(nice)
if "webapp" not in sys.modules:
    sys.modules["webapp"] = types.ModuleType("webapp")
    sys.modules["webapp"].__path__ = [folder]
from webapp.pdf_render import start
start()
"""


class TerlaluLama(Exception):
    """The renderer did not finish a PDF within ``SAKIP_PDF_TIMEOUT`` seconds and was stopped."""


def lay_out(html: str) -> bytes:
    """The PDF of ``html``, laid out by the renderer process when ``SAKIP_PDF_NICE`` is set."""
    nice = current_app.config.get("SAKIP_PDF_NICE", 0)
    if not nice:
        return pdf_render.render(html)
    # A limit for the web's downloads only: `sakip export` may take as long as it takes.
    limit = current_app.config.get("SAKIP_PDF_TIMEOUT") if has_request_context() else None
    for _attempt in range(2):  # a second one only for a download queued behind a stopped layout
        pool = renderer(nice)
        try:
            future = pool.submit(pdf_render.render, html)
        except (BrokenProcessPool, RuntimeError, OSError) as exc:
            # RuntimeError: a pool being shut down; OSError: no process could be started.
            if pool in _stopped:
                continue
            return _in_process(pool, exc, html)
        try:
            return future.result(timeout=limit)
        except TimeoutError:
            _stop(pool)
            raise TerlaluLama from None
        except (BrokenProcessPool, CancelledError) as exc:
            if pool in _stopped:  # to a new renderer, with a limit of its own
                continue
            return _in_process(pool, exc, html)
    raise TerlaluLama


# Renderers stopped on purpose (a layout past its limit): the downloads queued behind the
# stuck one go to a new renderer, within their own limit, not into the server process.
_stopped: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill a renderer stuck in a layout; the next PDF starts a new one."""
    global _renderer
    with _renderer_lock:
        _stopped.add(pool)
        if _renderer is not None and _renderer[1] is pool:
            _renderer = None
    # The executor has no public way to kill its worker before Python 3.14 (kill_workers),
    # and a second stop finds _processes already None.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def renderer(nice: int) -> ProcessPoolExecutor:
    """This process's renderer. After a fork (a gunicorn worker) the parent's is not ours:
    its pipes and its manager thread stayed in the parent."""
    global _renderer
    key = (os.getpid(), nice)
    with _renderer_lock:
        if _renderer is None or _renderer[0] != key:
            if _renderer is not None and _renderer[0][0] == key[0]:
                _renderer[1].shutdown(wait=False)
            _renderer = (key, _start_renderer(nice))
        return _renderer[1]


def _start_renderer(nice: int) -> ProcessPoolExecutor:
    # spawn: a fork would copy the database connections and the threads of this process.
    folder = os.path.dirname(pdf_render.__file__)
    return ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=exec,
                               initargs=(_BOOT, {"folder": folder, "nice": nice}))


def _in_process(pool: ProcessPoolExecutor, exc: Exception, html: str) -> bytes:
    """The renderer died (the OOM killer, a signal): this download is laid out here, the next
    one by a new renderer."""
    global _renderer
    current_app.logger.warning("proses pembuat PDF berhenti (%s); PDF ini dibuat di proses server", exc)
    with _renderer_lock:
        if _renderer is not None and _renderer[1] is pool:
            _renderer = None
    pool.shutdown(wait=False, cancel_futures=True)
    return pdf_render.render(html)


def warm(nice: int) -> None:
    """Start this process's renderer and have it lay out a first small page (fonts found,
    layout code loaded), without waiting: gunicorn's worker calls it before its first
    request (gunicorn.conf.py), so that the first download does not pay for it."""
    if nice:
        renderer(nice).submit(pdf_render.render, "<p>SAKIP KPU</p>")


def renderer_about() -> dict | None:
    """Pid and nice value of the process that lays the PDFs out (None: this one)."""
    nice = current_app.config.get("SAKIP_PDF_NICE", 0)
    return renderer(nice).submit(pdf_render.about).result() if nice else None


def _new_lock_after_fork() -> None:
    # A thread of the parent may have held the lock at the fork; no thread here will release it.
    global _renderer_lock
    _renderer_lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock_after_fork)


# -- finished PDFs ---------------------------------------------------------------------------

def cache_key(html: str) -> str:
    """A finished PDF is reused only for exactly the same HTML: any change (content,
    signature, status, language) makes another HTML and another PDF."""
    return "pdf:" + hashlib.sha256(html.encode()).hexdigest()


def cache_get(key: str) -> bytes | None:
    try:
        return cache.get(key)
    except Exception as exc:  # a cache that is down costs speed, never the download
        current_app.logger.warning("cache PDF tidak terbaca: %s", exc)
        return None


def cache_set(key: str, data: bytes) -> None:
    try:
        cache.set(key, data)
    except Exception as exc:
        current_app.logger.warning("cache PDF tidak tersimpan: %s", exc)


def tersimpan(html: str, susun: Callable[[str], bytes] | None = None) -> bytes:
    """The PDF of ``html``: the one kept under its hash, else laid out (``susun``, by default
    ``lay_out``) and kept. Every paper of the app (documents, period reports, LHE) goes
    through here, so a second download of the same content costs no layout."""
    key = cache_key(html)
    if (found := cache_get(key)) is not None:
        return found
    made = (susun or lay_out)(html)
    cache_set(key, made)
    return made
