"""Planning documents and what is built on them, in feature packages: ``dokumen`` (every
kind of document: content, state machine, revisions, signatures, cascade, operations),
``realisasi`` (what offices achieved, the dashboards), ``lkj`` (the report's computed
tables), ``anggaran`` (costs against the pagu), ``imports``; beside them the plumbing
they share (``audit``, ``errors``, ``rupiah``, ``target``, ``schedule``, ``capaian``,
``sheet_layout``). docs/architecture.md draws the arrows.

Importing the package registers every model and the immutability guard, and plugs the
LKj's freeze into the document's submit.
"""
from workflow import audit  # noqa: F401
from workflow.dokumen import bab_lkj as lkj, content, immutability, models, signature  # noqa: F401
from workflow.realisasi import models as realisasi_models  # noqa: F401
