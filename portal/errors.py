"""Domain errors: services raise them, views turn them into a message at the right field."""

from flask_babel import lazy_gettext as _l


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


class RuleViolations(InvalidInput):
    """Several rules broken at once, each ``(field, message)``."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


# What a form without its hidden ``version`` (or with a garbled one) hands the services: no
# row has version 0, so a save that skips the field is a conflict, never an unchecked write.
# (``None`` stays for callers that deliberately do not check: the CLI, imports, tests.)
MISSING_VERSION = 0


def check_version(obj, version: int | None, what) -> None:
    """Optimistic locking: ``version`` is what the editor loaded; another save since then
    is a conflict, never a silent overwrite."""
    if version is not None and version != obj.version:
        raise Conflict(
            _l(
                "%(what)s er blevet ændret af en anden, siden du åbnede siden. Indlæs siden igen"
                " for at se ændringerne – dine ændringer er ikke gemt.",
                what=what,
            )
        )
