"""Saved replies (who may manage them, validation) and answer fingerprints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.core.errors import Conflict, PermissionDenied, ValidationFailed
from lapor.reports.actions.engine import report_act
from lapor.reports.tests.factories import make_report
from lapor.routing import selectors, services
from lapor.routing.models import ReplyTemplate, ResponseFingerprint
from lapor.routing.tests.conftest import SUBSTANTIVE_ANSWER, TEMPLATE_ANSWER, answered

BODY = "Terima kasih, laporan Anda sedang kami tindak lanjuti bersama dinas terkait."


@pytest.mark.parametrize("role", ["national", "agency_admin", "unit_admin"])
def test_admins_create_saved_replies(world, role):
    # given an admin allowed to manage the organisation's replies
    actor = world.users[role]
    # when a reply is saved
    template = services.reply_template_create(
        actor=actor, agency=world.agency, title="  Diteruskan  ", body=BODY
    )
    # then it is stored, trimmed, active and attributed
    template.refresh_from_db()
    assert (template.title, template.is_active, template.created_by) == ("Diteruskan", True, actor)


@pytest.mark.parametrize("role", ["liaison", "other_admin", "evaluator", "reporter"])
def test_others_may_not_create_saved_replies(world, role):
    # given someone who may not manage the organisation's replies
    # when they try to save one
    # then it is refused and nothing is stored
    with pytest.raises(PermissionDenied):
        services.reply_template_create(
            actor=world.users[role], agency=world.agency, title="Diteruskan", body=BODY
        )
    assert ReplyTemplate.objects.count() == 0


def test_a_title_is_unique_per_organisation_whatever_its_case(world):
    # given a saved reply of each organisation
    admin = world.users["agency_admin"]
    services.reply_template_create(actor=admin, agency=world.agency, title="Selesai", body=BODY)
    services.reply_template_create(
        actor=world.users["national"], agency=world.other_agency, title="Selesai", body=BODY
    )
    # when the same title is used again in the first organisation
    # then it is a conflict
    with pytest.raises(Conflict):
        services.reply_template_create(actor=admin, agency=world.agency, title="SELESAI", body=BODY)


def test_invalid_fields_are_reported_per_field(world):
    # given a too short body and a unit of another organisation
    from lapor.agencies.tests.factories import UnitFactory

    foreign_unit = UnitFactory(agency=world.other_agency)
    # when the reply is saved
    with pytest.raises(ValidationFailed) as caught:
        services.reply_template_create(
            actor=world.users["agency_admin"],
            agency=world.agency,
            title=" ",
            body="ok",
            unit=foreign_unit,
        )
    # then each bad field is named
    assert {e["field"] for e in caught.value.errors or []} == {"title", "body", "unit"}


def test_update_and_deactivate(world):
    # given a saved reply for a unit
    admin = world.users["agency_admin"]
    template = services.reply_template_create(
        actor=admin, agency=world.agency, title="Lama", body=BODY, unit=world.unit
    )
    # when it is renamed, made organisation-wide, then withdrawn
    services.reply_template_update(actor=admin, template=template, title="Baru", unit=None)
    services.reply_template_deactivate(actor=admin, template=template)
    # then the changes are stored and it is no longer offered
    template.refresh_from_db()
    assert (template.title, template.unit, template.is_active) == ("Baru", None, False)
    assert list(selectors.reply_templates_for(agency=world.agency)) == []


def test_an_officer_of_another_organisation_may_not_change_a_reply(world):
    # given a saved reply of the first organisation
    template = services.reply_template_create(
        actor=world.users["agency_admin"], agency=world.agency, title="Judul", body=BODY
    )
    # when the other organisation's admin changes or withdraws it
    # then both are refused
    with pytest.raises(PermissionDenied):
        services.reply_template_update(
            actor=world.users["other_admin"], template=template, body=BODY
        )
    with pytest.raises(PermissionDenied):
        services.reply_template_deactivate(actor=world.users["other_admin"], template=template)


def test_replies_offered_to_a_unit_include_those_of_the_units_above(
    world, django_assert_num_queries
):
    # given organisation-wide, parent-unit, sub-unit and sibling replies
    admin = world.users["agency_admin"]
    from lapor.agencies.tests.factories import UnitFactory

    sibling = UnitFactory(agency=world.agency, code="dinas-kesehatan")
    for title, unit in [("A", None), ("B", world.unit), ("C", world.sub_unit), ("D", sibling)]:
        services.reply_template_create(
            actor=admin, agency=world.agency, title=title, body=BODY, unit=unit
        )
    # when the sub-unit's officer asks
    with django_assert_num_queries(1):
        titles = [
            t.title for t in selectors.reply_templates_for(agency=world.agency, unit=world.sub_unit)
        ]
    # then it gets the organisation's, its parent unit's and its own, never the sibling's
    assert titles == ["A", "B", "C"]
    assert [t.title for t in selectors.reply_templates_for(agency=world.agency)] == ["A"]


# --- fingerprints --------------------------------------------------------------------------


def test_a_reused_answer_to_another_report_is_marked_templated(world):
    # given an answer to one report
    now = timezone.now()
    _r1, first = answered(
        world.agency, TEMPLATE_ANSWER.format(name="Budi"), at=now - timedelta(days=2)
    )
    services.response_fingerprint_record(event=first)
    # when the same template, to another person, answers another report
    _r2, second = answered(world.agency, TEMPLATE_ANSWER.format(name="Agus"), at=now)
    fingerprint = services.response_fingerprint_record(event=second)
    # then it is templated, pointing at the first answer
    assert fingerprint is not None
    assert fingerprint.is_templated is True
    assert fingerprint.nearest_event_id == first.pk
    assert fingerprint.nearest_score == 1.0
    assert ResponseFingerprint.objects.get(event=first).is_templated is False


def test_substantive_answers_and_other_organisations_do_not_count(world):
    # given a templated answer of another organisation and a substantive one of this one
    now = timezone.now()
    for agency, text in [(world.other_agency, TEMPLATE_ANSWER), (world.agency, SUBSTANTIVE_ANSWER)]:
        _report, event = answered(agency, text.format(name="Budi"), at=now - timedelta(days=1))
        services.response_fingerprint_record(event=event)
    # when this organisation sends the template for the first time
    _report, event = answered(world.agency, TEMPLATE_ANSWER.format(name="Agus"), at=now)
    fingerprint = services.response_fingerprint_record(event=event)
    # then it is not templated
    assert fingerprint is not None and fingerprint.is_templated is False


def test_a_second_answer_to_the_same_report_is_not_templated(world):
    # given an answer to a report
    now = timezone.now()
    report, first = answered(
        world.agency, TEMPLATE_ANSWER.format(name="Budi"), at=now - timedelta(days=1)
    )
    services.response_fingerprint_record(event=first)
    # when the same report gets the same text again
    from lapor.reports.events import event_append

    again = event_append(
        report=report,
        action="respond",
        at=now,
        actor=None,
        actor_role="agency_admin",
        text=TEMPLATE_ANSWER.format(name="Budi"),
    )
    fingerprint = services.response_fingerprint_record(event=again)
    # then it is not counted as a templated follow-up (only reuse across reports is)
    assert fingerprint is not None and fingerprint.is_templated is False


def test_recording_is_idempotent_and_ignores_other_events(world):
    # given an answer and a submit event
    report, event = answered(world.agency, SUBSTANTIVE_ANSWER)
    submit = report.events.get(action="submit")
    # when each is recorded twice
    first = services.response_fingerprint_record(event=event)
    second = services.response_fingerprint_record(event=event)
    # then one fingerprint exists for the answer and none for the submit
    assert first is not None and second is not None and first.pk == second.pk
    assert services.response_fingerprint_record(event=submit) is None
    assert ResponseFingerprint.objects.count() == 1
    assert first.length == len(SUBSTANTIVE_ANSWER.split()) - 1  # "13" is not a word


def test_the_answering_organisation_is_the_one_responsible_at_the_time(world):
    # given an answer by the first organisation, after which the report moved on
    report, event = answered(world.agency, SUBSTANTIVE_ANSWER)
    report.agency = world.other_agency
    report.save(update_fields=["agency"])
    # when the answer is fingerprinted later
    fingerprint = services.response_fingerprint_record(event=event)
    # then it counts for the organisation that answered
    assert fingerprint is not None and fingerprint.agency_id == world.agency.pk


def test_templated_share_counts_answers_in_the_period(world):
    # given three answers: two reuse one template, one is substantive, one is outside the period
    now = timezone.now()
    texts = [
        (TEMPLATE_ANSWER.format(name="A"), now - timedelta(days=3)),
        (TEMPLATE_ANSWER.format(name="B"), now - timedelta(days=2)),
        (SUBSTANTIVE_ANSWER, now - timedelta(days=1)),
        (TEMPLATE_ANSWER.format(name="C"), now - timedelta(days=40)),
    ]
    for text, at in sorted(texts, key=lambda pair: pair[1]):
        _report, event = answered(world.agency, text, at=at)
        services.response_fingerprint_record(event=event)
    # when the share over the last 10 days is asked
    share = selectors.templated_share(
        agency=world.agency, since=now - timedelta(days=10), until=now
    )
    # then 2 of 3 answers are templated (the older one makes the first in the period a reuse)
    assert share == (2, 3)
    assert selectors.templated_share(
        agency=world.other_agency, since=now - timedelta(days=10), until=now
    ) == (0, 0)


def test_near_identical_responses_for_a_draft(world, django_assert_max_num_queries):
    # given several earlier answers of the organisation
    now = timezone.now()
    for i in range(6):
        _report, event = answered(
            world.agency, TEMPLATE_ANSWER.format(name=f"N{i}"), at=now - timedelta(hours=i + 1)
        )
        services.response_fingerprint_record(event=event)
    _report, event = answered(world.agency, SUBSTANTIVE_ANSWER, at=now)
    services.response_fingerprint_record(event=event)
    # when a draft reusing the template is checked
    with django_assert_max_num_queries(3):
        found = selectors.near_identical_responses(
            agency=world.agency, text=TEMPLATE_ANSWER.format(name="Z"), limit=5
        )
        tracking_ids = [e.report.tracking_id for e, _ in found]
    # then at most 5 templated answers come back, with their reports, never the substantive one
    assert len(found) == 5 and len(set(tracking_ids)) == 5
    assert all(score == 1.0 for _e, score in found)
    assert all(e.text != SUBSTANTIVE_ANSWER for e, _ in found)


def test_the_lookup_scans_only_the_most_recent_answers(world, monkeypatch):
    # given an old identical answer and a newer different one
    now = timezone.now()
    _r, old = answered(world.agency, TEMPLATE_ANSWER.format(name="A"), at=now - timedelta(days=9))
    _r, new = answered(world.agency, SUBSTANTIVE_ANSWER, at=now - timedelta(days=1))
    services.response_fingerprint_record(event=old)
    services.response_fingerprint_record(event=new)
    # when only the last answer is scanned
    monkeypatch.setattr(selectors, "RECENT_RESPONSES_SCANNED", 1)
    found = selectors.near_identical_responses(
        agency=world.agency, text=TEMPLATE_ANSWER.format(name="B")
    )
    # then the old one is out of reach
    assert found == []


def test_backfill_fingerprints_answers_without_one(world):
    # given two answers never fingerprinted
    answered(world.agency, TEMPLATE_ANSWER.format(name="A"), at=timezone.now() - timedelta(days=1))
    answered(world.agency, TEMPLATE_ANSWER.format(name="B"))
    # when the backfill runs twice
    first, second = (
        services.response_fingerprints_backfill(),
        services.response_fingerprints_backfill(),
    )
    # then both are recorded once, in order (the later one is the reuse)
    assert (first, second) == (2, 0)
    assert list(
        ResponseFingerprint.objects.order_by("responded_at").values_list("is_templated", flat=True)
    ) == [False, True]


def test_an_answer_through_report_act_is_fingerprinted_via_the_outbox(world):
    # given a report in progress with the organisation
    report = make_report("in_progress", agency=world.agency, unit=world.unit)
    # when its agency admin responds through the lifecycle service (tasks run immediately)
    with_captured = report_act(
        action="respond",
        actor_user=world.users["agency_admin"],
        report_id=report.pk,
        params={"content": SUBSTANTIVE_ANSWER},
    )
    from lapor.core.outbox import outbox_process

    outbox_process()
    # then the answer has its fingerprint
    fingerprint = ResponseFingerprint.objects.get(report=with_captured)
    assert fingerprint.event.action == "respond"
    assert fingerprint.agency_id == world.agency.pk
