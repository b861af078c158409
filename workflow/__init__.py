"""Planning documents (PK, RKT, RAK), their workflow, revisions, signatures and audit.

Importing the package registers every model and the immutability guard.
"""
from workflow import audit, content, document, immutability, realisasi, signature  # noqa: F401
