"""The lifecycle as the regulation writes it (issue 7, ADR 0007): the organisation's clocks from
its receipt that internal routing cannot restart, the 5/14/60 classes, bounces, disputes,
lateness that stays, official statuses, privacy only the reporter lowers, verification edits,
whistle-blowing, archiving, referral to the Ombudsman, redaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lapor.accounts.tests.factories import UserFactory
from lapor.agencies.tests.factories import CategoryFactory, UnitFactory
from lapor.analytics import metrics
from lapor.analytics.models import DailyAgencyStat
from lapor.analytics.services import daily_stats_rebuild
from lapor.core.errors import Conflict, PermissionDenied, ValidationFailed
from lapor.reports.actions.engine import report_act
from lapor.reports.events import timeline_verify
from lapor.reports.models import Event, ReportClock, ReportRedaction
from lapor.reports.services import ReportSubmission, report_submit, title_from_content
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import GUEST_KEY, make_report

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")
THU = datetime(2025, 3, 27, 10, 0, tzinfo=JAKARTA)  # before Nyepi and Idul Fitri 2025


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


def due_of(report, step: str) -> datetime:
    row = ReportClock.objects.filter(report=report, step=step).order_by("-start_seq").first()
    assert row is not None, step
    return row.due_at


def submitted(world, *, at: datetime, report_type: str = "pengaduan", **extra):
    result = report_submit(
        actor_user=None,
        data=ReportSubmission(
            type=report_type,
            title="Jalan berlubang di depan sekolah",
            content="Jalan berlubang besar di depan SDN 3 sejak dua bulan, membahayakan murid.",
            agency=world.agency.code,
            **extra,
        ),
        now=at,
    )
    return result.report, result.reporter_key


def request_letter() -> SimpleUploadedFile:
    """The reporter's written request, as a real (one-page) PDF."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return SimpleUploadedFile("permintaan.pdf", buffer.getvalue(), "application/pdf")


def act(report, action, user, at, key=None, files=None, **params):
    return report_act(action=action, actor_user=user, report_id=report.pk, reporter_key=key,
                      params=params, files=files, now=at)  # fmt: skip


# --- the organisation's clocks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("report_type", "sla_class", "completion_due"),
    [
        ("permintaan_informasi", None, wib(2025, 4, 14, 23, 59, 59)),  # 5 working days
        ("pengaduan", None, wib(2025, 4, 28, 23, 59, 59)),  # 14
        ("aspirasi", None, wib(2025, 4, 28, 23, 59, 59)),  # 14 (a local choice)
        ("pengaduan", "misconduct", wib(2025, 7, 11, 23, 59, 59)),  # 60
    ],
)
def test_receipt_starts_the_first_follow_up_and_completion_by_class(
    world, report_type, sla_class, completion_due
):
    # given a report verified to the organisation on Thursday 2025-03-27 10:00
    report, _key = submitted(world, at=THU - timedelta(hours=1), report_type=report_type)
    params = {"sla_class": sla_class} if sla_class else {}
    act(report, "verify", world.users["agency_admin"], THU, **params)
    report.refresh_from_db()
    # then the first follow-up is due 5 working days from the receipt and completion by class
    # (Nyepi, Idul Fitri and its cuti bersama, Good Friday skipped)
    assert report.received_at == THU
    assert due_of(report, "first_response") == wib(2025, 4, 14, 23, 59, 59)
    assert due_of(report, "completion") == completion_due
    assert report.deadline == wib(2025, 4, 14, 23, 59, 59)
    assert report.deadline_step == "first_response"
    verify = Event.objects.get(report=report, action="verify")
    assert verify.data["received"] is True
    assert set(verify.data["clocks"]) == {"first_response", "completion"}
    body = (
        client_for(world.users["agency_admin"]).get(f"/api/v1/reports/{report.tracking_id}").json()
    )
    assert [d["step"] for d in body["deadlines"]] == ["first_response", "completion"]
    assert body["deadline"].startswith("2025-04-14T23:59:59")


def test_internal_disposition_three_times_leaves_the_due_dates_unchanged(world):
    # given a received report
    report, _key = submitted(world, at=THU - timedelta(hours=1))
    admin, unit_admin = world.users["agency_admin"], world.users["unit_admin"]
    act(report, "verify", admin, THU)
    before = {s: due_of(report, s) for s in ("first_response", "completion")}
    # when it is disposed down the unit tree three times, days apart, and assigned
    act(report, "dispose", admin, THU + timedelta(days=1), unit=world.unit.code)
    act(report, "dispose", unit_admin, THU + timedelta(days=13), unit=world.sub_unit.code)
    act(report, "dispose", admin, THU + timedelta(days=20), unit=world.other_unit.code)
    act(report, "assign", admin, THU + timedelta(days=21))
    # then the organisation's deadlines have not moved, and no new clock row started
    assert {s: due_of(report, s) for s in before} == before
    assert ReportClock.objects.filter(report=report).count() == 3  # verification + 2
    for event in Event.objects.filter(report=report, action__in=("dispose", "assign")):
        assert "clocks" not in event.data


def test_forwarding_restarts_the_clocks_for_the_receiver_and_counts_a_bounce(world):
    # given a report the city received, that it forwards to the ministry, which forwards back
    report, _key = submitted(world, at=THU - timedelta(hours=1))
    city, ministry = world.users["agency_admin"], world.users["other_admin"]
    act(report, "verify", city, THU)
    first_forward = wib(2025, 4, 9, 9, 0)
    act(report, "forward", city, first_forward, agency=world.other_agency.code,
        reason="Urusan kesehatan, bukan wewenang pemkot.")  # fmt: skip
    report.refresh_from_db()
    # then the ministry's clocks start from the forward; the city's rows ended "forwarded"
    assert report.agency == world.other_agency and report.received_at == first_forward
    assert report.forward_count == 1
    ended = ReportClock.objects.filter(report=report, agency=world.agency)
    assert {(r.step, r.end_reason) for r in ended} == {
        ("first_response", "forwarded"),
        ("completion", "forwarded"),
    }
    mine = ReportClock.objects.filter(report=report, agency=world.other_agency, ended_at=None)
    assert {r.step: r.started_at for r in mine} == {
        "first_response": first_forward,
        "completion": first_forward,
    }
    event = Event.objects.filter(report=report, action="forward").last()
    assert event is not None and (event.data["bounce"], event.data["forward_count"]) == (False, 1)
    # when the ministry forwards it once more (to the city): a bounce
    act(report, "forward", ministry, wib(2025, 4, 10, 9, 0), agency=world.agency.code,
        reason="Bukan wewenang kementerian.")  # fmt: skip
    report.refresh_from_db()
    assert report.forward_count == 2
    event = Event.objects.filter(report=report, action="forward").last()
    assert event is not None and event.data["bounce"] is True
    # and the statistics count it
    daily_stats_rebuild(day_from=date(2025, 3, 27), day_to=date(2025, 4, 10))
    city_row = DailyAgencyStat.objects.get(day=date(2025, 4, 10), agency=world.agency,
                                           unit=None, scope="all")  # fmt: skip
    assert (city_row.received, city_row.bounced) == (1, 1)
    assert timeline_verify(report) == []


def test_a_dispute_opens_a_further_step_and_keeps_the_original_lateness(world):
    # given a complaint received Thursday 2025-03-27, answered late (after 28 April)
    report, key = submitted(world, at=THU - timedelta(hours=1))
    admin = world.users["agency_admin"]
    act(report, "verify", admin, THU)
    late_answer = wib(2025, 5, 5, 10, 0)
    act(report, "respond", admin, late_answer, content="Jalan sudah kami perbaiki minggu ini.")
    report.refresh_from_db()
    completion = ReportClock.objects.get(report=report, step="completion")
    assert completion.met_at == late_answer and completion.late_at == late_answer
    respond = Event.objects.get(report=report, action="respond")
    assert respond.data["met"]["completion"]["late"] is True
    assert set(respond.data["late"]) == {"first_response", "completion"}
    # when the reporter disputes the answer
    dispute_at = wib(2025, 5, 6, 10, 0)
    act(report, "reply", None, dispute_at, key, content="Belum diperbaiki sama sekali.",
        disputes=True)  # fmt: skip
    report.refresh_from_db()
    # then a further follow-up step runs 5 working days from the dispute (Waisak 12 May and its
    # cuti bersama 13 May skipped) …
    assert report.status == "in_progress" and report.deadline_step == "follow_up"
    assert due_of(report, "follow_up") == wib(2025, 5, 15, 23, 59, 59)
    # … and the earlier steps keep their lateness
    completion.refresh_from_db()
    assert completion.late_at == late_answer and completion.end_reason == "met"
    # and a referral to the Ombudsman may be asked for now (the completion was late anyway)
    act(report, "escalate", None, wib(2025, 5, 7, 10, 0), key, to="ombudsman")


def test_a_step_is_late_once_whatever_happens_later(world):
    # given a report whose first follow-up passed its due time; the sweep marks it
    report, _key = submitted(world, at=THU - timedelta(hours=1))
    admin = world.users["agency_admin"]
    act(report, "verify", admin, THU)
    from lapor.reports.sweeps import reports_mark_late

    assert reports_mark_late(now=wib(2025, 4, 15, 9, 0)) == 1
    # when it is answered later (the step is met late), and forwarded after that
    act(report, "respond", admin, wib(2025, 4, 16, 9, 0), content="Kami tindak lanjuti segera.",
        interim=True)  # fmt: skip
    act(report, "forward", admin, wib(2025, 4, 17, 9, 0), agency=world.other_agency.code,
        reason="Ternyata wewenang kementerian.")  # fmt: skip
    # then the first follow-up stays late, counted once (the sweep's mark), never again
    row = ReportClock.objects.get(report=report, step="first_response", agency=world.agency)
    assert row.late_at is not None and row.met_at == wib(2025, 4, 16, 9, 0)
    respond = Event.objects.get(report=report, action="respond")
    assert respond.data["met"]["first_response"]["late"] is True
    assert "late" not in respond.data  # already marked: not counted a second time
    daily_stats_rebuild(day_from=date(2025, 3, 27), day_to=date(2025, 4, 17))
    rows = DailyAgencyStat.objects.filter(agency=world.agency, scope="all")
    assert sum(r.became_late for r in rows) == 1


def test_reclassify_moves_the_completion_deadline_with_a_reason(world):
    report, _key = submitted(world, at=THU - timedelta(hours=1))
    admin = world.users["agency_admin"]
    act(report, "verify", admin, THU)
    with pytest.raises(ValidationFailed):
        act(report, "reclassify", admin, THU + timedelta(days=1), sla_class="misconduct")
    act(report, "reclassify", admin, THU + timedelta(days=1), sla_class="misconduct",
        reason="Menyangkut pungutan liar oleh petugas.")  # fmt: skip
    report.refresh_from_db()
    assert report.sla_class == "misconduct"
    assert due_of(report, "completion") == wib(2025, 7, 11, 23, 59, 59)
    event = Event.objects.get(report=report, action="reclassify")
    assert (event.data["sla_class_from"], event.data["sla_class_to"]) == ("complaint", "misconduct")
    assert event.text == "Menyangkut pungutan liar oleh petugas."


# --- tunda before verification -----------------------------------------------------------------


def test_a_request_for_information_pauses_verification_and_the_reply_resumes_it(world):
    # given a report waiting for verification, due Thursday 10 April
    report, key = submitted(world, at=THU)
    assert report.deadline == wib(2025, 4, 10, 23, 59, 59)
    admin = world.users["agency_admin"]
    # when the verifying admin asks the reporter for more information on 8 April
    act(report, "postpone", admin, wib(2025, 4, 8, 9, 0), reason="Mohon sebutkan nama jalannya.")
    report.refresh_from_db()
    assert report.is_postponed and report.status == "submitted"
    info = ReportClock.objects.get(report=report, step="info_request")
    # 10 working days (a setting), Good Friday 18 April skipped
    assert info.due_at == wib(2025, 4, 23, 23, 59, 59)
    body = client_for(None).get(f"/api/v1/reports/{report.tracking_id}").json()
    assert body["official_status"] == "tunda" and body["postponed"] is True
    # when the reporter replies on Thursday 10 April
    act(report, "reply", None, wib(2025, 4, 10, 9, 0), key, content="Jalan Kenanga nomor 5.")
    report.refresh_from_db()
    # then the clock resumes: verification moves by the 2 working days paused (Wed, Thu)
    assert not report.is_postponed
    assert report.deadline == wib(2025, 4, 14, 23, 59, 59)
    info.refresh_from_db()
    assert info.met_at == wib(2025, 4, 10, 9, 0)


def test_a_postponement_is_bounded_by_the_setting(world, settings):
    settings.LAPOR = {**settings.LAPOR, "MAX_POSTPONE_WORKING_DAYS": 5}
    report = make_report("in_progress", agency=world.agency, unit=world.unit, age_days=3)
    admin = world.users["agency_admin"]
    far = timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationFailed) as info:
        act(report, "postpone", admin, timezone.now(), reason="Menunggu anggaran.",
            until=far.isoformat())  # fmt: skip
    assert (info.value.errors or [{}])[0]["field"] == "until"
    # without a date the postponement ends at the longest allowed
    act(report, "postpone", admin, timezone.now(), reason="Menunggu anggaran.")
    report.refresh_from_db()
    assert report.postponed_until is not None and report.postponed_until < far


# --- privacy: only the reporter lowers it ---------------------------------------------------


def test_an_organisations_admin_cannot_lower_privacy_by_any_path(world):
    reporter = world.users["reporter"]
    report = make_report("submitted", agency=world.agency, reporter=reporter, age_days=1,
                         is_anonymous=True, is_confidential=True)  # fmt: skip
    admin = world.users["agency_admin"]
    api = client_for(admin)
    url = f"/api/v1/reports/{report.tracking_id}"
    # the API's set_privacy
    response = api.post(f"{url}/set_privacy", {"is_anonymous": False, "reason": "x"},
                        content_type="application/json")  # fmt: skip
    assert response.status_code == 403
    # the flags in the verify body are refused, not silently applied
    response = api.post(f"{url}/verify", {"agency": world.agency.code, "is_anonymous": False},
                        content_type="application/json")  # fmt: skip
    assert response.status_code == 422
    # the page's form
    page = client_for(admin).post(
        reverse("web:officer_act", args=[report.tracking_id, "set_privacy"]),
        {"is_anonymous": "0", "is_confidential": "0", "reason": "Bukan rahasia."},
    )
    assert page.status_code == 403
    report.refresh_from_db()
    assert report.is_anonymous and report.is_confidential and report.status == "submitted"
    # while the reporter may lower both (their action is the consent)
    own = client_for(reporter).post(f"{url}/set_privacy",
                                    {"is_anonymous": False, "is_confidential": False},
                                    content_type="application/json")  # fmt: skip
    assert own.status_code == 200
    report.refresh_from_db()
    assert not report.is_anonymous and not report.is_confidential
    event = Event.objects.filter(report=report, action="set_privacy").get()
    assert event.data["consent"] == "reporter" and event.actor_role == "reporter"


def test_the_national_admin_lowers_privacy_only_with_the_reporters_request(world):
    report = make_report("disposed", agency=world.agency, guest=True, is_confidential=True)
    national = world.users["national"]
    at = timezone.now()
    with pytest.raises(ValidationFailed) as missing:
        act(report, "set_privacy", national, at, is_confidential=False, reason="Atas permintaan.")
    assert (missing.value.errors or [{}])[0]["field"] == "attachments"
    act(report, "set_privacy", national, at, files=[request_letter()], is_confidential=False,
        reason="Permintaan tertulis pelapor 1 Des.")  # fmt: skip
    report.refresh_from_db()
    assert not report.is_confidential
    event = Event.objects.get(report=report, action="set_privacy")
    assert event.data["consent"] == "reporter_request_attached"
    assert len(event.data["request_sha256"]) == 1
    # the guest with the key lowers the other flag by themselves
    act(report, "set_privacy", None, at, GUEST_KEY, is_anonymous=True)


# --- verification edits, whistle-blowing, drafted titles --------------------------------------


def test_verification_corrects_title_type_category_and_class_keeping_the_original(world):
    category = CategoryFactory(code="kesehatan")
    report, _key = submitted(world, at=THU)
    original = report.title
    national = world.users["national"]
    act(report, "verify", national, THU + timedelta(hours=2), agency=world.agency.code,
        title="Permintaan data anggaran puskesmas", type="permintaan_informasi",
        category="kesehatan")  # fmt: skip
    report.refresh_from_db()
    assert report.title == "Permintaan data anggaran puskesmas"
    assert report.type == "permintaan_informasi" and report.category == category
    # the class follows the new type unless the admin chose one
    assert report.sla_class == "information_request"
    event = Event.objects.get(report=report, action="verify")
    assert event.data["edits"]["title"] == {"from": original, "to": report.title}
    # the national admin reads the original wording; the organisation sees what was edited
    timeline = client_for(national).get(f"/api/v1/reports/{report.tracking_id}/timeline").json()
    assert timeline[1]["data"]["edits"]["title"]["from"] == original
    officer = client_for(world.users["agency_admin"])
    timeline = officer.get(f"/api/v1/reports/{report.tracking_id}/timeline").json()
    assert "edits" not in timeline[1]["data"]
    assert timeline[1]["data"]["edited"] == ["category", "sla_class", "title", "type"]


def test_a_whistle_blowing_report_goes_to_the_inspectorate_only(world):
    inspectorate = UnitFactory(agency=world.agency, code="inspektorat", is_inspectorate=True)
    inspector = UserFactory(role="unit_admin", agency=world.agency, unit=inspectorate)
    report, _key = submitted(world, at=THU)
    act(report, "verify", world.users["national"], THU + timedelta(hours=1),
        agency=world.agency.code, type="whistleblowing")  # fmt: skip
    report.refresh_from_db()
    assert (report.type, report.sla_class, report.unit) == (
        "whistleblowing", "misconduct", inspectorate
    )  # fmt: skip
    assert report.is_confidential
    url = f"/api/v1/reports/{report.tracking_id}"
    assert client_for(inspector).get(url).status_code == 200
    assert client_for(world.users["agency_admin"]).get(url).status_code == 404
    listed = client_for(world.users["agency_admin"]).get("/api/v1/reports").json()
    assert report.tracking_id not in {r["tracking_id"] for r in listed["items"]}
    # an organisation without an inspectorate cannot receive one
    other, _key = submitted(world, at=THU)
    with pytest.raises(ValidationFailed) as info:
        act(other, "verify", world.users["national"], THU + timedelta(hours=1),
            agency=world.other_agency.code, type="whistleblowing")  # fmt: skip
    assert (info.value.errors or [{}])[0]["field"] == "type"


def test_a_title_is_drafted_from_the_content_when_none_is_given(world):
    report = report_submit(
        actor_user=None,
        data=ReportSubmission(
            type="pengaduan",
            title="",
            content="Lampu penerangan jalan di Jl. Kenanga padam sejak Senin. Mohon diperbaiki.",
            channel="sms",
        ),
    ).report
    assert report.title == "Lampu penerangan jalan di Jl"
    assert Event.objects.get(report=report).data["title_drafted"] is True
    long_text = "Sampah " * 60
    drafted = title_from_content(long_text)
    assert len(drafted) <= 150 and drafted.endswith("…")


# --- archiving and referral -------------------------------------------------------------------


def test_after_receipt_only_the_national_admin_archives(world):
    queue = make_report("submitted", agency=world.agency, age_days=1)
    received = make_report("disposed", agency=world.agency)
    admin = world.users["agency_admin"]
    act(queue, "archive", admin, timezone.now(), reason_code="too_general")
    with pytest.raises(PermissionDenied):
        act(received, "archive", admin, timezone.now(), reason_code="too_general")
    act(received, "archive", world.users["national"], timezone.now(), reason_code="out_of_scope")
    received.refresh_from_db()
    assert received.status == "archived"
    assert not ReportClock.objects.filter(report=received, ended_at__isnull=True).exists()


def test_a_duplicate_points_the_reporter_to_the_original_and_both_timelines_link(world):
    original = make_report("in_progress", agency=world.agency, unit=world.unit)
    copy = make_report("submitted", agency=world.agency, age_days=1, guest=True)
    act(copy, "archive", world.users["national"], timezone.now(), reason_code="duplicate",
        duplicate_of=original.tracking_id)  # fmt: skip
    linked = Event.objects.filter(report=original, action="duplicate_linked").get()
    assert linked.data["duplicate"] == copy.tracking_id
    original.refresh_from_db()
    assert timeline_verify(original) == []
    page = Client().get(reverse("web:report_detail", args=[copy.tracking_id])).content.decode()
    assert reverse("web:report_detail", args=[original.tracking_id]) in page


def test_nothing_records_a_consent_nobody_gave(world):
    report = make_report("in_progress", agency=world.agency, unit=world.unit, guest=True)
    # the organisation cannot refer its own report; the national admin needs the request
    with pytest.raises(PermissionDenied):
        act(report, "escalate", world.users["agency_admin"], timezone.now(), to="ombudsman")
    with pytest.raises(ValidationFailed):
        act(report, "escalate", world.users["national"], timezone.now(), to="ombudsman")
    assert not Event.objects.filter(report=report, action="escalate").exists()
    act(report, "escalate", world.users["national"], timezone.now(), files=[request_letter()],
        to="ombudsman", note="Pelapor mengadu langsung ke Ombudsman.")  # fmt: skip
    event = Event.objects.get(report=report, action="escalate")
    assert event.data["consent"] == "reporter_request_attached"
    report.refresh_from_db()
    assert report.status == "in_progress" and report.referred_to_ombudsman_at is not None
    with pytest.raises(Conflict):
        act(report, "escalate", None, timezone.now(), GUEST_KEY, to="ombudsman")


# --- redaction, masking -----------------------------------------------------------------------


def test_redaction_keeps_the_original_for_the_national_admin_only(world):
    report = make_report("disposed", agency=world.agency, is_anonymous=True,
                         content="Saya Budi Santoso dari RT 05 melaporkan jalan rusak parah.")  # fmt: skip
    admin = world.users["agency_admin"]
    act(report, "redact", admin, timezone.now(), field="content",
        spans=[{"start": 5, "end": 17}], reason="Nama pelapor anonim.")  # fmt: skip
    report.refresh_from_db()
    assert report.content == "Saya […] dari RT 05 melaporkan jalan rusak parah."
    stored = ReportRedaction.objects.get(report=report)
    assert "Budi Santoso" in stored.original
    redact = Event.objects.get(report=report, action="redact")
    assert "Budi" not in str(redact.data) and redact.is_internal
    national = client_for(world.users["national"]).get(
        reverse("web:officer_report", args=[report.tracking_id])
    )
    assert "Budi Santoso" in national.content.decode()
    officer = client_for(admin).get(reverse("web:officer_report", args=[report.tracking_id]))
    assert "Budi Santoso" not in officer.content.decode()


def test_public_text_is_masked_on_every_public_surface(world):
    # given a public report whose reply and answer carry a NIK, a phone number and an e-mail
    report = make_report("responded", agency=world.agency, unit=world.unit, guest=True)
    act(report, "reply", None, timezone.now(), GUEST_KEY,
        content="NIK saya 3578011234560001, hubungi 0812-3456-7890 atau budi@example.com.")  # fmt: skip
    act(report, "respond", world.users["agency_admin"], timezone.now(),
        content="Kami hubungi Bapak di 0812-3456-7890 (NIK 3578011234560001).")  # fmt: skip
    secrets = ("3578011234560001", "0812-3456-7890", "budi@example.com")
    pages = [
        Client().get(reverse("web:report_detail", args=[report.tracking_id])),
        Client().get(f"/api/v1/reports/{report.tracking_id}"),
        Client().get(f"/api/v1/reports/{report.tracking_id}/timeline"),
        Client().get("/api/v1/reports"),
        Client().get(reverse("web:public_list")),
    ]
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        for secret in secrets:
            assert secret not in body, (page.request["PATH_INFO"], secret)
    # and the reporter still reads their own words unmasked
    own = client_for(None).get(f"/api/v1/reports/{report.tracking_id}/timeline",
                               HTTP_X_REPORTER_KEY=GUEST_KEY).content.decode()  # fmt: skip
    assert "3578011234560001" in own


# --- official statuses and completion counts ------------------------------------------------


def test_official_status_in_the_api_and_its_filter(world):
    make_report("submitted", agency=world.agency, age_days=1)
    make_report("in_progress", agency=world.agency, unit=world.unit, age_days=3,
                postponed_at=timezone.now() - timedelta(hours=1))  # fmt: skip
    make_report("closed", agency=world.agency, unit=world.unit)
    make_report("archived", agency=world.agency)
    api = client_for(world.users["national"])
    listed = api.get("/api/v1/reports").json()["items"]
    assert sorted(r["official_status"] for r in listed) == [
        "arsip", "belum_terverifikasi", "selesai", "tunda"
    ]  # fmt: skip
    tunda = api.get("/api/v1/reports", {"official_status": "tunda"}).json()
    assert [r["status"] for r in tunda["items"]] == ["in_progress"]


def test_an_archived_report_is_never_completed(world):
    # given one closed and one archived report among the organisation's
    facts = [
        metrics.ReportFacts(submitted_at=THU, status="closed", closed_at=THU + timedelta(days=5),
                            first_response_at=THU + timedelta(days=1)),
        metrics.ReportFacts(submitted_at=THU, status="archived",
                            archived_at=THU + timedelta(days=1)),
        metrics.ReportFacts(submitted_at=THU, status="in_progress"),
    ]  # fmt: skip
    from lapor.deadlines.selectors import work_calendar_get

    figures = metrics.summarise(facts, work_calendar_get())
    # then completion counts the closed one only, over the reports that were not archived
    assert (figures.completed, figures.archived, figures.completed_share) == (1, 1, 0.5)
    counters = metrics.Counters(received=3, closed=1, archived=1, first_responses=1)
    shown = metrics.figures_from_counters(counters)
    assert (shown["completed"], shown["archived"], shown["completed_share"]) == (1, 1, 0.5)
    assert shown["followed_up_share"] == 0.5
