"""Tindak lanjut: an evaluation's recommendations followed up until the evaluator closes
them (issue 18, point 4).

``models`` (one follow-up per recommendation of a final evaluation; a numbered report per
round), ``flow`` (the state machine: terbuka -> dilaporkan -> selesai, or back to terbuka
with a reason), ``policy`` (who), ``operations`` (the only writers: made at finalisation,
reported, closed or returned, owner and due date changed), ``queries`` (reads: an office's
list, one follow-up, the LKj's table).

Importing this package makes a final evaluation's recommendations into follow-ups
(``workflow.evaluasi.operations.SESUDAH_TRANSISI``) and gives next year's LKj its table of
them (``workflow.lkj.tabel.TABEL_TAMBAHAN``); ``workflow/__init__.py`` imports it. Neither
the evaluation nor the LKj knows of it.
"""
from workflow.evaluasi import operations as evaluasi_operations
from workflow.lkj import tabel as lkj_tabel
from workflow.tindaklanjut import models, operations, queries  # noqa: F401 - registers the tables

if operations.sesudah_evaluasi not in evaluasi_operations.SESUDAH_TRANSISI:
    evaluasi_operations.SESUDAH_TRANSISI.append(operations.sesudah_evaluasi)
lkj_tabel.TABEL_TAMBAHAN["tindak_lanjut"] = queries.tabel_lkj
