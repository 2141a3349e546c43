"""Errors the services raise for input that must change nothing."""


class BadInput(ValueError):
    """Input that cannot be acted on; `field` names the offending field for forms and the API."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class LateScanRefused(BadInput):
    """A late scan's claim cannot be recorded; `code` is stable for clients, `status` its HTTP."""

    def __init__(self, code: str, field: str, message: str, status: int = 400):
        super().__init__(field, message)
        self.code = code
        self.status = status
