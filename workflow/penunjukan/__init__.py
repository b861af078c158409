"""Acting officials (Plh, Plt): appointing, ending and deleting appointments. The table and
its reads are people's business and live in ``tenants.penunjukan``; signing under an
appointment is decided by ``workflow.dokumen.policy``. This package holds the writers,
which need the audit log (workflow) and so cannot sit in tenants."""
