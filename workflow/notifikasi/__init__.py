"""Notifications: in the app and by e-mail, to the person who must act next.

``models`` (the notification, the outbox, the preferences), ``operations`` (the only
writers: ``beri_tahu`` in the caller's transaction), ``penerima`` (who acts next after a
document's step), ``queries`` (the unread count, the list), ``surat`` (an e-mail's text and
HTML, in the recipient's language) and ``pengirim`` (the worker: claims, sends, retries).

Importing this package plugs the notifications into every document transition and every
period report's transition (``laporan``);
``workflow/__init__.py`` imports it, so every process that moves a document has it.
"""
from workflow.dokumen import operations as dokumen_operations
from workflow.notifikasi import laporan, penerima
from workflow.pelaporan import operations as pelaporan_operations

if penerima.sesudah_transisi not in dokumen_operations.SESUDAH_TRANSISI:
    dokumen_operations.SESUDAH_TRANSISI.append(penerima.sesudah_transisi)
if laporan.sesudah_transisi not in pelaporan_operations.SESUDAH_TRANSISI:
    pelaporan_operations.SESUDAH_TRANSISI.append(laporan.sesudah_transisi)
