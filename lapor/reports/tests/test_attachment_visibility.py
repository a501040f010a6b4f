"""`attachment_visible_to`: an attachment that still carries metadata never reaches the
organisation of an anonymous report, nor the public; internal notes' files stay internal."""

from __future__ import annotations

import pytest

from lapor.accounts import policy
from lapor.reports.events import event_append
from lapor.reports.models import Attachment, Report
from lapor.reports.selectors import actor_of, attachment_visible_to, report_attachments_for
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db


def _attach(report: Report, *, clean: bool, by=None, event=None) -> Attachment:
    return Attachment.objects.create(
        report=report,
        event=event,
        file="attachments/x.bin",
        original_name="lampiran.doc",
        content_type="application/msword" if not clean else "application/pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=by,
        metadata_removed=clean,
    )


def _sees(world, who: str | None, report: Report, attachment: Attachment) -> bool:
    if who == "reporter_key":
        actor = policy.Actor(holds_reporter_key=True)
    else:
        actor = actor_of(world.users[who] if who else None)
    return attachment_visible_to(actor, report, attachment)


@pytest.mark.parametrize(
    ("who", "sees_dirty", "sees_clean"),
    [
        ("agency_admin", False, True),  # the organisation: never a file that may name the reporter
        ("unit_admin", False, True),
        ("national", True, True),  # the only ones who may know an anonymous reporter
        ("reporter_key", True, True),  # the reporter themself
        (None, False, True),  # the public
        ("other_admin", False, True),  # another organisation: public view of a public report
    ],
)
def test_anonymous_report_attachments_that_keep_metadata(world, who, sees_dirty, sees_clean):
    # given: an anonymous guest report with a legacy .doc (metadata kept) and a cleaned PDF
    report = make_report(
        "in_progress", agency=world.agency, unit=world.unit, guest=True, is_anonymous=True
    )
    dirty = _attach(report, clean=False)
    clean = _attach(report, clean=True)
    # then
    assert _sees(world, who, report, dirty) is sees_dirty
    assert _sees(world, who, report, clean) is sees_clean


def test_a_named_reporters_file_with_metadata_reaches_the_organisation_not_the_public(world):
    # given: a report that is not anonymous, filed by an account
    reporter = world.users["reporter"]
    report = make_report("in_progress", agency=world.agency, unit=world.unit, reporter=reporter)
    dirty = _attach(report, clean=False, by=reporter)
    # then
    assert _sees(world, "agency_admin", report, dirty) is True
    assert _sees(world, "reporter", report, dirty) is True
    assert _sees(world, None, report, dirty) is False


def test_an_officers_file_with_metadata_stays_with_the_officers(world):
    # given: an answer's attachment that still names the officer who wrote it
    officer = world.users["unit_admin"]
    report = make_report(
        "responded", agency=world.agency, unit=world.unit, guest=True, is_anonymous=True
    )
    dirty = _attach(report, clean=False, by=officer)
    # then
    assert _sees(world, "unit_admin", report, dirty) is True
    assert _sees(world, "agency_admin", report, dirty) is True
    assert _sees(world, None, report, dirty) is False
    assert _sees(world, "reporter_key", report, dirty) is False


def test_files_of_internal_notes_and_of_hidden_reports(world):
    # given: a note's file, and a confidential report's cleaned file
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    note = event_append(
        report=report,
        action="note",
        at=report.submitted_at,
        actor=world.users["unit_admin"],
        actor_role="unit_admin",
        text="catatan",
        is_internal=True,
    )
    internal = _attach(report, clean=True, by=world.users["unit_admin"], event=note)
    secret = make_report("in_progress", agency=world.agency, unit=world.unit, is_confidential=True)
    hidden = _attach(secret, clean=True)
    # then
    assert _sees(world, "unit_admin", report, internal) is True
    assert _sees(world, None, report, internal) is False
    assert _sees(world, None, secret, hidden) is False
    assert _sees(world, "other_admin", secret, hidden) is False


def test_the_list_of_a_reports_attachments_for_a_viewer_is_one_query(
    world, django_assert_num_queries
):
    # given
    report = make_report(
        "in_progress", agency=world.agency, unit=world.unit, guest=True, is_anonymous=True
    )
    clean = [_attach(report, clean=True) for _ in range(3)]
    _attach(report, clean=False)
    actor = actor_of(world.users["agency_admin"])
    # when
    with django_assert_num_queries(1):
        shown = report_attachments_for(report=report, actor=actor)
    # then
    assert [a.pk for a in shown] == [a.pk for a in clean]
