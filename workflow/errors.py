"""Refusals raised by workflow operations; every message is written for the user, and
each kind carries the HTTP status a page answers it with (one mapping for every blueprint)."""


class WorkflowError(Exception):
    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Ditolak(WorkflowError):
    """Not allowed: the user lacks the role, or the document is not in a state for it."""

    status = 403


class Konflik(WorkflowError):
    """Someone else changed the document first; nothing of this request was saved."""


class IsiTidakValid(WorkflowError):
    """The content fails the checks (before submit, or a field that cannot be read)."""

    status = 422

    def __init__(self, message: str, masalah: list[str] | None = None) -> None:
        super().__init__(message)
        self.masalah = masalah or [message]


class IsiTerkunci(WorkflowError):
    """A write to the content of a submitted revision, by whatever path."""
