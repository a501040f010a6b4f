"""Public search is not an oracle: a guest searches only the masked text the public may read, so a
NIK, a phone number or an e-mail address in a report cannot be found (exactly or by prefix) nor
rebuilt; officers still search the text as typed. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from lapor.reports import search
from lapor.reports.search import search_document_refresh, search_documents_rebuild
from lapor.reports.services import ReportSubmission, report_submit
from lapor.reports.tests.conftest import client_for
from lapor.reports.tests.factories import make_report

pytestmark = pytest.mark.django_db

NIK = "3578011234560001"
PHONE = "081234567890"
EMAIL = "budi.santoso@gmail.com"
CONTENT = (
    f"Pelayanan KTP ditolak padahal NIK saya {NIK} sudah terdaftar. Hubungi {PHONE} "
    f"atau {EMAIL} untuk konfirmasi dokumen kependudukan."
)


def _ids(client, q: str) -> set[str]:
    response = client.get("/api/v1/reports", {"q": q})
    assert response.status_code == 200, response.content
    return {item["tracking_id"] for item in response.json()["items"]}


@pytest.fixture
def submitted(world):
    """A public report that carries a NIK, a phone number and an e-mail address, submitted
    through the service (which writes its public document)."""
    data = ReportSubmission(
        type="pengaduan",
        title="KTP elektronik tidak kunjung dicetak",
        content=CONTENT,
        agency=world.agency.code,
    )
    report = report_submit(actor_user=world.users["reporter"], data=data).report
    return report


ORACLE_QUERIES = [
    NIK,  # exact
    NIK[:4],  # the first prefix search of a digit-by-digit rebuild
    NIK[:10],
    "3578 0112 3456 0001",
    PHONE,
    PHONE[:6],
    "0812",
    EMAIL,
    "santoso",
    "gmail",
]


@pytest.mark.parametrize("q", ORACLE_QUERIES)
def test_a_guest_cannot_find_a_report_by_its_personal_data(world, submitted, q):
    # when a guest searches for the NIK, the phone number or the e-mail, whole or by prefix
    found = _ids(client_for(None), q)
    # then the report is not found
    assert submitted.tracking_id not in found


@pytest.mark.parametrize("who", [None, "citizen", "evaluator", "other_admin"])
def test_nobody_outside_the_report_rebuilds_a_nik_digit_by_digit(world, submitted, who):
    # given: the attack of the probe, extending a known prefix one digit at a time
    client = client_for(world.users[who] if who else None)
    known = ""
    # when
    for _position in range(len(NIK)):
        hits = [d for d in "0123456789" if submitted.tracking_id in _ids(client, known + d)]
        if len(hits) != 1:
            break
        known += hits[0]
    # then not even the first digit of the NIK leaks (the last three digits of the phone number
    # are public, "************890" is shown, so a rebuild may only ever find those)
    assert not NIK.startswith(known) or known == ""
    assert known in ("", "890")


def test_the_public_still_finds_the_report_by_its_ordinary_words(world, submitted):
    # then: words the public can read still find it
    assert submitted.tracking_id in _ids(client_for(None), "KTP elektronik")
    assert submitted.tracking_id in _ids(client_for(None), "kependudukan")


@pytest.mark.parametrize("who", ["agency_admin", "national"])
def test_officers_search_the_text_as_typed(world, submitted, who):
    # given: an officer of the organisation handling it, and the national admin
    client = client_for(world.users[who])
    # then they find it by the personal data it holds
    assert submitted.tracking_id in _ids(client, NIK)
    assert submitted.tracking_id in _ids(client, PHONE)
    if connection.vendor == "sqlite":  # FTS5 matches the last word as a prefix
        assert submitted.tracking_id in _ids(client, NIK[:6])


def test_the_reporter_finds_their_own_report_by_its_text(world, submitted):
    # given the reporter's own account
    client = client_for(world.users["reporter"])
    # then their raw text is searchable to them, and another reporter's is not
    assert submitted.tracking_id in _ids(client, NIK)
    other = make_report(
        "in_progress", agency=world.agency, unit=world.unit, content=f"Nomor saya {PHONE} lagi."
    )
    assert other.tracking_id not in _ids(client, PHONE)


def test_an_edit_without_a_refresh_hides_the_report_from_public_search(world, submitted):
    # given: an edit of the content that forgets to refresh the public document
    submitted.content = submitted.content.replace("kependudukan", "catatan sipil")
    submitted.save(update_fields=["content"])
    # then the public finds it neither by old nor by new words (the database dropped the stale
    # document), while officers find it by the new ones
    assert submitted.tracking_id not in _ids(client_for(None), "kependudukan")
    assert submitted.tracking_id not in _ids(client_for(None), "catatan sipil")
    assert submitted.tracking_id in _ids(client_for(world.users["agency_admin"]), "catatan sipil")
    # and once refreshed the public finds it by the new words
    search_document_refresh(submitted)
    assert submitted.tracking_id in _ids(client_for(None), "catatan sipil")


def test_a_redacted_name_is_no_longer_found_once_refreshed(world, submitted):
    # given: a name in an anonymous report, redacted by an officer (the lead's redaction calls
    # search_document_refresh in its transaction)
    submitted.content += " Saya Wahyuningsih dari RT 05."
    submitted.save(update_fields=["content"])
    search_document_refresh(submitted)
    assert submitted.tracking_id in _ids(client_for(None), "Wahyuningsih")
    # when
    submitted.content = submitted.content.replace("Wahyuningsih", "[disamarkan]")
    submitted.save(update_fields=["content"])
    search_document_refresh(submitted)
    # then
    assert submitted.tracking_id not in _ids(client_for(None), "Wahyuningsih")


def test_rebuild_writes_every_document(world, submitted):
    # given: the public documents lost
    table = search.PUBLIC_PG_TABLE if connection.vendor == "postgresql" else search.PUBLIC_FTS_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert submitted.tracking_id not in _ids(client_for(None), "kependudukan")
    # when
    count = search_documents_rebuild()
    # then
    assert count >= 1
    assert submitted.tracking_id in _ids(client_for(None), "kependudukan")


def test_the_database_keeps_the_safety_triggers():
    # then: no later migration that rebuilt the reports table lost them
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {row[0] for row in cursor.fetchall()}
        assert set(search.SQLITE_TRIGGERS) <= names
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'reports_report'::regclass"
            )
            names = {row[0] for row in cursor.fetchall()}
        assert {"reports_report_public_search_au", "reports_report_public_search_ad"} <= names
