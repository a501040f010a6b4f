"""`manage.py stats_rebuild` rebuilds a range and refuses bad input."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lapor.analytics.models import DailyAgencyStat, MonthlyAgencyStat

from .helpers import full_path

pytestmark = pytest.mark.django_db


def test_rebuild_a_range_for_one_organisation(world):
    # given a report's whole path in November 2026
    full_path(world)
    out = StringIO()
    # when the command rebuilds November for the organisation
    call_command(
        "stats_rebuild", "--from", "2026-11-01", "--to", "2026-11-30",
        "--agency", world.agency.code, stdout=out,
    )  # fmt: skip
    # then its rows are there (and only its own)
    assert "daily rows rebuilt for 2026-11-01..2026-11-30" in out.getvalue()
    assert DailyAgencyStat.objects.filter(agency=world.agency, day=date(2026, 11, 2)).exists()
    assert set(MonthlyAgencyStat.objects.values_list("agency_id", flat=True)) == {world.agency.pk}


def test_bad_arguments_are_refused(world):
    with pytest.raises(CommandError):
        call_command("stats_rebuild", "--from", "2026-12-01", "--to", "2026-11-01")
    with pytest.raises(CommandError):
        call_command("stats_rebuild", "--from", "kemarin")
    with pytest.raises(CommandError):
        call_command("stats_rebuild", "--agency", "tidak-ada")


def test_the_admin_lists_rows_read_only(world, client):
    # given a rebuilt month and a superuser
    from lapor.accounts.tests.factories import UserFactory

    full_path(world)
    call_command("stats_rebuild", "--from", "2026-11-01", "--to", "2026-11-30", stdout=StringIO())
    admin_user = UserFactory(role="national_admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    # when the list is opened, then it shows and offers no "add"
    response = client.get("/admin/analytics/dailyagencystat/")
    assert response.status_code == 200
    assert b"/admin/analytics/dailyagencystat/add/" not in response.content
