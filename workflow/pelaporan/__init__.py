"""A period's realisation reported and verified (issue 17 point 2).

``models`` (the report of a signed PK for one period, its numbered revisions, the analysis
per indikator), ``flow`` (the state machine: draft -> submitted -> verified, or returned ->
submitted again; a verified period reopened for correction as a new revision),
``operations`` (the only writers), ``queries`` (what other parts read: is a period locked,
its status).

Importing this package makes realisation entry refuse a verified period
(``workflow.realisasi.operations.PENJAGA_PERIODE``); ``workflow/__init__.py`` imports it.
"""
from workflow.pelaporan import queries
from workflow.realisasi import operations as realisasi_operations

if queries.penjaga_realisasi not in realisasi_operations.PENJAGA_PERIODE:
    realisasi_operations.PENJAGA_PERIODE.append(queries.penjaga_realisasi)
