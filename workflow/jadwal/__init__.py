"""The year's calendar (jadwal): when each plan, report and review is due, per office."""

from workflow.jadwal import queries as _queries
from workflow.tinjauan import queries as _saringan

# The lists' "Terlambat saja" filter (workflow.tinjauan) asks the calendar, which it
# cannot import: it sits below it.
_saringan.SARINGAN_TERLAMBAT = _queries.terlambat_sql
