"""The reports' hand-calculated rounds, for the read model's tests."""

from tests.reports.conftest import progress_round  # noqa: F401
