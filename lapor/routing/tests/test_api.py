"""The API of saved replies and of the near-identical check: permissions, shapes, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.routing import services
from lapor.routing.models import ReplyTemplate
from lapor.routing.tests.conftest import (
    SUBSTANTIVE_ANSWER,
    TEMPLATE_ANSWER,
    answered,
    client_for,
)

BODY = "Terima kasih, laporan Anda sedang kami tindak lanjuti bersama dinas terkait."
URL = "/api/v1/reply-templates"
SIMILARITY = "/api/v1/responses/similarity"


def _template(world, title: str, *, agency=None, unit=None) -> ReplyTemplate:
    return services.reply_template_create(
        actor=world.users["national"],
        agency=agency or world.agency,
        title=title,
        body=BODY,
        unit=unit,
    )


def test_officers_list_their_organisations_replies(world, django_assert_max_num_queries):
    # given many replies of the organisation, one for a unit, and one of another organisation
    for i in range(12):
        _template(world, f"Templat {i:02d}")
    _template(world, "Untuk dinas PU", unit=world.unit)
    _template(world, "Kemenkes", agency=world.other_agency)
    client = client_for(world.users["liaison"])  # in a sub-unit of dinas-pu
    # when the liaison officer lists them (a bounded number of queries, whatever the count)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"agency": "35.78", "page_size": "50"})
    # then it sees its organisation's and its unit's replies, never another organisation's
    assert response.status_code == 200
    body = response.json()
    titles = [item["title"] for item in body["items"]]
    assert body["count"] == 13 and "Untuk dinas PU" in titles and "Kemenkes" not in titles
    assert body["items"][0]["agency"] == "35.78"


@pytest.mark.parametrize("role", ["other_admin", "evaluator", "reporter"])
def test_others_may_not_list_an_organisations_replies(world, role):
    # given a reply of the organisation
    _template(world, "Rahasia")
    # when someone outside it lists them
    response = client_for(world.users[role]).get(URL, {"agency": "35.78"})
    # then it is refused as problem+json
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "Rahasia" not in response.content.decode()


def test_anonymous_callers_must_sign_in(world):
    # given no credentials
    # when templates are listed
    response = client_for(None).get(URL, {"agency": "35.78"})
    # then 401
    assert response.status_code == 401


def test_an_unknown_organisation_is_not_found(world):
    response = client_for(world.users["national"]).get(URL, {"agency": "nope"})
    assert response.status_code == 404


def test_an_agency_admin_creates_a_reply(world):
    # given the organisation's admin
    client = client_for(world.users["agency_admin"])
    # when it saves a reply for one of its units
    response = client.post(
        URL,
        {"agency": "35.78", "unit": "dinas-pu", "title": "Dicek", "body": BODY},
        content_type="application/json",
    )
    # then it is created
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "dinas-pu"
    assert ReplyTemplate.objects.get(title="Dicek").created_by == world.users["agency_admin"]


@pytest.mark.parametrize(("role", "status"), [("liaison", 403), ("other_admin", 403)])
def test_others_may_not_create_a_reply(world, role, status):
    response = client_for(world.users[role]).post(
        URL, {"agency": "35.78", "title": "X", "body": BODY}, content_type="application/json"
    )
    assert response.status_code == status
    assert ReplyTemplate.objects.count() == 0


def test_create_errors_are_problems(world):
    # given an existing title
    _template(world, "Dicek")
    client = client_for(world.users["agency_admin"])
    # when the same title is used, and then an unknown unit
    dup = client.post(
        URL, {"agency": "35.78", "title": "Dicek", "body": BODY}, content_type="application/json"
    )
    bad_unit = client.post(
        URL,
        {"agency": "35.78", "unit": "tidak-ada", "title": "Lain", "body": BODY},
        content_type="application/json",
    )
    # then 409 and 422 with the field named
    assert dup.status_code == 409 and dup.json()["code"] == "conflict"
    assert bad_unit.status_code == 422
    assert bad_unit.json()["errors"][0]["field"] == "unit"


def test_update_and_withdraw_a_reply(world):
    # given a reply
    template = _template(world, "Lama", unit=world.unit)
    client = client_for(world.users["unit_admin"])
    # when its title changes, its unit is cleared, then it is withdrawn
    patched = client.patch(
        f"{URL}/{template.pk}", {"title": "Baru", "unit": ""}, content_type="application/json"
    )
    deleted = client.delete(f"{URL}/{template.pk}")
    # then the changes are stored
    assert patched.status_code == 200
    assert (patched.json()["title"], patched.json()["unit"]) == ("Baru", None)
    assert deleted.status_code == 204
    template.refresh_from_db()
    assert template.is_active is False


def test_another_organisations_reply_is_not_found(world):
    # given a reply of the first organisation
    template = _template(world, "Milik Surabaya")
    client = client_for(world.users["other_admin"])
    # when the other organisation's admin changes or withdraws it
    patched = client.patch(f"{URL}/{template.pk}", {"title": "X"}, content_type="application/json")
    deleted = client.delete(f"{URL}/{template.pk}")
    # then it does not exist for them
    assert (patched.status_code, deleted.status_code) == (404, 404)
    template.refresh_from_db()
    assert (template.title, template.is_active) == ("Milik Surabaya", True)


def test_a_liaison_may_read_but_not_change_a_reply(world):
    template = _template(world, "Milik Surabaya")
    response = client_for(world.users["liaison"]).delete(f"{URL}/{template.pk}")
    assert response.status_code == 403


# --- similarity ----------------------------------------------------------------------------


def _history(world):
    now = timezone.now()
    reports = []
    for i, text in enumerate([TEMPLATE_ANSWER.format(name="A"), SUBSTANTIVE_ANSWER]):
        report, event = answered(world.agency, text, at=now - timedelta(days=i + 1))
        services.response_fingerprint_record(event=event)
        reports.append(report)
    _r, other = answered(world.other_agency, TEMPLATE_ANSWER.format(name="Kemenkes"))
    services.response_fingerprint_record(event=other)
    return reports


def test_a_templated_draft_is_warned_about(world, django_assert_max_num_queries):
    # given the organisation's earlier answers
    reports = _history(world)
    client = client_for(world.users["unit_admin"])
    # when a draft reusing the template is checked
    with django_assert_max_num_queries(8):
        response = client.post(
            SIMILARITY,
            {"agency": "35.78", "text": TEMPLATE_ANSWER.format(name="Z")},
            content_type="application/json",
        )
    # then the earlier answer of the same organisation is shown with its score, not another's
    assert response.status_code == 200
    body = response.json()
    assert body["is_templated"] is True
    assert [m["report"] for m in body["matches"]] == [reports[0].tracking_id]
    assert body["matches"][0]["score"] == 1.0
    assert "Kemenkes" not in response.content.decode()


def test_a_substantive_draft_is_not_warned_about(world):
    _history(world)
    response = client_for(world.users["agency_admin"]).post(
        SIMILARITY,
        {"agency": "35.78", "text": "Jalan sudah ditambal kemarin sore oleh tim bidang jalan."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "threshold": response.json()["threshold"],
        "is_templated": False,
        "matches": [],
    }


def test_the_report_being_answered_is_skipped(world):
    # given the earlier templated answer was to the report being answered again
    reports = _history(world)
    # when its draft is checked naming that report
    response = client_for(world.users["agency_admin"]).post(
        SIMILARITY,
        {
            "agency": "35.78",
            "text": TEMPLATE_ANSWER.format(name="A"),
            "report": reports[0].tracking_id,
        },
        content_type="application/json",
    )
    # then its own answer does not count
    assert response.status_code == 200
    assert response.json()["matches"] == []


@pytest.mark.parametrize("role", ["other_admin", "evaluator", "reporter"])
def test_others_may_not_check_against_an_organisations_answers(world, role):
    # given the organisation's earlier answers
    _history(world)
    # when an outsider checks a draft against them
    response = client_for(world.users[role]).post(
        SIMILARITY,
        {"agency": "35.78", "text": TEMPLATE_ANSWER.format(name="Z")},
        content_type="application/json",
    )
    # then it is refused and no answer text leaks
    assert response.status_code == 403
    assert "ditindaklanjuti" not in response.content.decode()


def test_a_report_of_another_organisation_is_not_found(world):
    # given a report of the other organisation
    report, _event = answered(world.other_agency, SUBSTANTIVE_ANSWER)
    # when the national admin checks a draft for the first organisation naming it
    response = client_for(world.users["national"]).post(
        SIMILARITY,
        {"agency": "35.78", "text": SUBSTANTIVE_ANSWER, "report": report.tracking_id},
        content_type="application/json",
    )
    # then 404
    assert response.status_code == 404


def test_a_confidential_answer_outside_the_callers_scope_is_scored_but_not_shown(world):
    # given a templated answer to a confidential report of the organisation, not in any unit
    report, event = answered(world.agency, TEMPLATE_ANSWER.format(name="A"))
    report.is_confidential = True
    report.save(update_fields=["is_confidential"])
    services.response_fingerprint_record(event=event)
    # when a liaison officer of a sub-unit checks the same template
    response = client_for(world.users["liaison"]).post(
        SIMILARITY,
        {"agency": "35.78", "text": TEMPLATE_ANSWER.format(name="Z")},
        content_type="application/json",
    )
    # then the warning holds, but neither the report nor its text is revealed
    assert response.status_code == 200
    [match] = response.json()["matches"]
    assert (match["score"], match["report"], match["excerpt"]) == (1.0, None, "")
    assert report.tracking_id not in response.content.decode()


def test_the_endpoints_are_documented(world):
    # given the OpenAPI document
    paths = client_for(None).get("/api/v1/openapi.json").json()["paths"]
    # then the routing endpoints are in it
    assert {"/api/v1/reply-templates", "/api/v1/responses/similarity"} <= set(paths)


def test_the_admin_lists_saved_replies(world):
    # given a saved reply and a staff national admin
    _template(world, "Di admin")
    staff = world.users["national"]
    staff.is_staff = staff.is_superuser = True
    staff.save(update_fields=["is_staff", "is_superuser"])
    # when the admin change list and the fingerprints list are opened
    client = client_for(staff)
    replies = client.get("/admin/routing/replytemplate/")
    fingerprints = client.get("/admin/routing/responsefingerprint/")
    # then both load, and the reply is listed
    assert replies.status_code == 200 and "Di admin" in replies.content.decode()
    assert fingerprints.status_code == 200


def test_managers_list_every_template_including_withdrawn(world):
    # given an active reply for a unit and a withdrawn one
    _template(world, "Aktif", unit=world.sub_unit)
    services.reply_template_deactivate(
        actor=world.users["national"], template=_template(world, "Lama")
    )
    # when the agency admin (no unit) lists all, and a liaison officer tries to
    admin = client_for(world.users["agency_admin"]).get(URL, {"agency": "35.78", "all": "true"})
    liaison = client_for(world.users["liaison"]).get(URL, {"agency": "35.78", "all": "true"})
    # then the admin sees both, active first; the liaison officer may not
    assert [(i["title"], i["is_active"]) for i in admin.json()["items"]] == [
        ("Aktif", True),
        ("Lama", False),
    ]
    assert liaison.status_code == 403
