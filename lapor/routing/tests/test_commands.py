"""seed_reply_templates creates Surabaya's saved replies once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from lapor.routing.management.commands.seed_reply_templates import TEMPLATES
from lapor.routing.models import ReplyTemplate


def test_seed_creates_surabayas_replies_once(world):
    # given Kota Surabaya (35.78) in the registry
    # when the command runs twice
    out = StringIO()
    call_command("seed_reply_templates", stdout=out)
    call_command("seed_reply_templates", stdout=out)
    # then its saved replies exist once each
    assert ReplyTemplate.objects.filter(agency=world.agency).count() == len(TEMPLATES)
    assert "0 created" in out.getvalue()


def test_seed_does_nothing_without_surabaya(db):
    # given an empty registry
    out = StringIO()
    # when the command runs
    call_command("seed_reply_templates", stdout=out)
    # then nothing is created and it says why
    assert ReplyTemplate.objects.count() == 0
    assert "not found" in out.getvalue()
