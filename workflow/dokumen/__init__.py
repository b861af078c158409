"""A planning document of any kind: its kinds, content, state machine, revisions, signatures,
comparison, cascade, and the operations that are the only writers of all that."""
