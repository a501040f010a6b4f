"""The pure transition table (no database): statuses, official statuses, clock operations."""

from __future__ import annotations

from pathlib import Path

import pytest

from lapor.deadlines.choices import SlaStep
from lapor.reports import workflow
from lapor.reports.choices import ClockEnd, OfficialStatus, Status
from lapor.reports.workflow import Act, End, Op, St, Step

CONTRACT_ACTIONS = {
    "verify", "dispose", "forward", "postpone", "archive", "respond", "reply", "close",
    "reopen", "escalate", "rate", "support", "reclassify", "set_privacy", "redact",
}  # fmt: skip
DOC = Path(__file__).resolve().parents[3] / "docs" / "workflow.md"


def ops(status: str, action: str, variant: str = "") -> list[tuple[str, tuple[str, ...]]]:
    t = workflow.transition_for(status, action, variant=variant)
    return [(str(c.op), tuple(str(s) for s in c.steps)) for c in t.clock]


def test_statuses_official_statuses_steps_are_the_contracts():
    # given the statuses of the API contract and of the model
    # then the table speaks exactly those; escalation is no status any more
    assert {s.value for s in St} == set(Status.values)
    assert {s.value for s in St} == {
        "submitted", "disposed", "in_progress", "responded", "closed", "archived"
    }  # fmt: skip
    assert {o.value for o in workflow.Official} == set(OfficialStatus.values)
    assert {s.value for s in Step} == set(SlaStep.values)
    assert {e.value for e in End} == set(ClockEnd.values)


def test_every_contract_action_has_a_transition():
    table_actions = {str(t.action) for t in workflow.TABLE}
    assert table_actions >= CONTRACT_ACTIONS
    assert set(workflow.API_ACTIONS) >= CONTRACT_ACTIONS
    assert not set(workflow.SYSTEM_ACTIONS) & set(workflow.API_ACTIONS)


@pytest.mark.parametrize(
    ("status", "postponed", "official"),
    [
        ("submitted", False, "belum_terverifikasi"),
        ("disposed", False, "belum_ditindaklanjuti"),
        ("in_progress", False, "proses"),
        ("responded", False, "proses"),
        ("submitted", True, "tunda"),
        ("disposed", True, "tunda"),
        ("in_progress", True, "tunda"),
        ("closed", False, "selesai"),
        ("archived", False, "arsip"),
    ],
)
def test_official_status(status, postponed, official):
    assert workflow.official_status(status, postponed) == official


def test_receipt_starts_the_organisations_two_clocks():
    # when verification routes a report to an organisation
    # then verification is met and its first follow-up and completion start
    assert ops("submitted", "verify") == [
        ("meet", ("verification",)),
        ("end_others", ()),
        ("start", ("first_response", "completion")),
    ]
    # and forwarding it to another organisation starts them anew for the receiver
    assert ops("in_progress", "forward", "to_agency") == [
        ("meet", ("verification",)),
        ("end_others", ()),
        ("start", ("first_response", "completion")),
    ]


def test_internal_routing_never_moves_a_clock():
    # disposition down the unit tree and assignment change no deadline
    for action in ("dispose", "assign", "note"):
        for status in ("disposed", "in_progress"):
            assert workflow.transition_for(status, action).clock == ()


def test_answers_meet_steps():
    # an interim answer is the first follow-up; a final one completes every running step
    assert ops("in_progress", "respond", "interim") == [("meet", ("first_response",))]
    assert ops("disposed", "respond", "final") == [
        ("meet", ("first_response", "completion", "follow_up")),
        ("start", ("closing",)),
    ]
    assert workflow.transition_for("disposed", "respond", variant="final").target == "responded"
    assert workflow.transition_for("disposed", "respond", variant="interim").target == (
        "in_progress"
    )


def test_a_reply_opens_a_further_step_without_erasing_the_others():
    # the reporter's reply or dispute ends the closing period and starts a follow-up step; it
    # neither meets nor ends the organisation's earlier steps
    assert ops("responded", "reply", "after_response") == [
        ("end", ("closing",)),
        ("start", ("follow_up",)),
    ]


def test_postponement_is_a_flag_that_pauses_every_clock():
    t = workflow.transition_for("in_progress", "postpone")
    assert t.lands_on(St.IN_PROGRESS) == St.IN_PROGRESS
    assert [c.op for c in t.clock] == [Op.PAUSE]
    # before verification it asks the reporter for information (their reply resumes it)
    assert ops("submitted", "postpone", "request_info") == [
        ("pause", ()),
        ("start", ("info_request",)),
    ]
    assert ops("submitted", "reply", "provides_info") == [
        ("meet", ("info_request",)),
        ("resume", ()),
    ]


def test_referral_to_the_ombudsman_is_a_step_not_a_status():
    for status in workflow.OPEN:
        t = workflow.transition_for(status, "escalate")
        assert t.target is None and t.clock == ()


def test_reclassify_recomputes_completion_only():
    assert ops("in_progress", "reclassify") == [("recompute", ("completion",))]


def test_not_allowed_lists_the_allowed_actions():
    with pytest.raises(workflow.TransitionNotAllowed) as info:
        workflow.transition_for("closed", "verify")
    assert "verify" not in info.value.allowed
    assert {"reopen", "rate", "support"} <= set(info.value.allowed)


def test_terminal_statuses_allow_no_work():
    for status in ("closed", "archived"):
        allowed = set(workflow.allowed_actions(status))
        assert not allowed & {"dispose", "respond", "postpone", "forward", "verify", "escalate"}


def test_allowed_actions_by_relation():
    reporter = workflow.allowed_actions("responded", by=["reporter"])
    assert {"reply", "close", "escalate", "rate", "set_privacy"} <= set(reporter)
    officer = workflow.allowed_actions("responded", by=["officer"])
    assert "close" not in officer and "reply" not in officer


def test_late_steps_are_the_ones_the_sweep_marks():
    assert {"verification", "first_response", "completion", "follow_up"} == workflow.LATE_STEPS
    assert Step.CLOSING not in workflow.LATE_STEPS and Step.INFO_REQUEST not in workflow.LATE_STEPS


def test_system_actions():
    assert {Act.AUTO_CLOSE, Act.AUTO_ARCHIVE, Act.MARK_LATE} <= workflow.SYSTEM_ACTIONS


def test_workflow_doc_is_generated_from_the_table():
    # given the committed docs/workflow.md
    # then it is exactly what render_mermaid produces (run `manage.py render_workflow`)
    assert DOC.read_text(encoding="utf-8") == workflow.render_mermaid()
    assert "stateDiagram-v2" in DOC.read_text(encoding="utf-8")
