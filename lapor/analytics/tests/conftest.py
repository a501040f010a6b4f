"""Fixtures of the analytics tests: the reports app's world (an organisation, units, users)."""

from lapor.reports.tests.conftest import world  # noqa: F401  (re-exported fixture)
