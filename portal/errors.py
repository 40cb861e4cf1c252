"""Domain errors: services raise them, views turn them into a message at the right field."""


class PortalError(Exception):
    """A rule was broken; ``field`` names the form field the message belongs to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(PortalError):
    pass


class InvalidInput(PortalError):
    pass


class Conflict(PortalError):
    """Someone else changed the record since it was loaded (optimistic locking)."""


class RowErrors(PortalError):
    """A file was refused: every bad row with its line number and reason; nothing stored."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} fejl")
        self.errors = errors
