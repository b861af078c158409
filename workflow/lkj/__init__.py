"""The Laporan Kinerja's computed part: its tables from the PK and the realisation
(``tabel``), frozen into the LKj's content as it is submitted. The LKj as a document (its
chapters, its text) is a kind like the others: ``workflow.dokumen.bab_lkj``.

Importing this package plugs the freeze into the document's submit; ``workflow/__init__.py``
imports it, so every process that can submit an LKj has it.
"""
from workflow.dokumen import operations
from workflow.dokumen.jenis import Bentuk
from workflow.lkj import tabel

operations.SEBELUM_KUNCI[Bentuk.LKJ] = tabel.bekukan
