"""Errors the services raise for input that must change nothing."""


class BadInput(ValueError):
    """Input that cannot be acted on; `field` names the offending field for forms and the API."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message
