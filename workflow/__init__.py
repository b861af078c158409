"""Planning documents and what is built on them, in feature packages: ``dokumen`` (every
kind of document: content, state machine, revisions, signatures, cascade, operations),
``realisasi`` (what offices achieved, the dashboards), ``lkj`` (the report's computed
tables), ``anggaran`` (costs against the pagu), ``imports``; beside them the plumbing
they share (``audit``, ``errors``, ``rupiah``, ``target``, ``schedule``, ``capaian``,
``sheet_layout``). docs/architecture.md draws the arrows.

Importing the package registers every model and the immutability guard, plugs the
LKj's freeze into the document's submit and the notifications into every transition.
"""
import os

# openpyxl parses with lxml when lxml is installed (python-docx brings it), and then not
# through defusedxml: an entity declaration the import's first check missed would be read
# as empty cells instead of refused. openpyxl reads this once, at its first import, which
# comes after this package's (the web app, the CLI and the tests import workflow first).
os.environ.setdefault("OPENPYXL_LXML", "False")

# The models, the immutability guard, and the LKj package, which plugs its freeze into the
# document's submit (workflow/lkj/__init__.py).
import workflow.lkj  # noqa: E402,F401
import workflow.jadwal  # noqa: E402,F401 - gives the lists their lateness filter
import workflow.notifikasi  # noqa: E402,F401 - tells whoever must act next after each transition
import workflow.pelaporan  # noqa: E402,F401 - a verified period's realisation is locked
from workflow import audit  # noqa: E402,F401
from workflow.dokumen import content, immutability, models, signature  # noqa: E402,F401
from workflow.realisasi import models as realisasi_models  # noqa: E402,F401
from workflow.jadwal import models as jadwal_models  # noqa: E402,F401
from workflow.anggaran import models as anggaran_models  # noqa: E402,F401
from workflow.bukti import models as bukti_models  # noqa: E402,F401
import workflow.evaluasi  # noqa: E402,F401 - the evaluation's models and its immutability guard
import workflow.tindaklanjut  # noqa: E402,F401 - final recommendations become follow-ups; next year's LKj lists them
