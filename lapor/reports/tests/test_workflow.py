"""The pure transition table (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lapor.reports import workflow
from lapor.reports.choices import Status
from lapor.reports.workflow import Act, Clock, St, Step

CONTRACT_ACTIONS = {
    "verify", "dispose", "forward", "postpone", "archive", "respond",
    "reply", "close", "reopen", "escalate", "rate", "support",
}  # fmt: skip
DOC = Path(__file__).resolve().parents[3] / "docs" / "workflow.md"


def test_statuses_are_the_contracts():
    # given the statuses of the API contract and of the model
    # then the table speaks exactly those
    assert {s.value for s in St} == set(Status.values)
    assert {s.value for s in St} == {
        "submitted", "disposed", "in_progress", "responded", "closed", "archived", "escalated"
    }  # fmt: skip


def test_every_contract_action_has_a_transition():
    # given the contract's actions
    # then each appears in the table and in the API's action list
    assert {str(a) for a in workflow.CONTRACT_ACTIONS} == CONTRACT_ACTIONS
    table_actions = {str(t.action) for t in workflow.TABLE}
    assert table_actions >= CONTRACT_ACTIONS
    assert set(workflow.API_ACTIONS) >= CONTRACT_ACTIONS


def test_postponement_is_not_a_status():
    # when a report is postponed
    t = workflow.transition_for("in_progress", "postpone")
    # then the status stays and the clock pauses
    assert t.lands_on(St.IN_PROGRESS) == St.IN_PROGRESS
    assert t.clock == Clock.PAUSE


@pytest.mark.parametrize(
    ("status", "action", "variant", "target", "clock", "step"),
    [
        ("submitted", "verify", "", "disposed", Clock.START, Step.FIRST_RESPONSE),
        ("disposed", "dispose", "", "in_progress", Clock.START, Step.FOLLOW_UP),
        ("in_progress", "forward", "to_agency", "disposed", Clock.START, Step.FIRST_RESPONSE),
        ("in_progress", "forward", "to_national", "submitted", Clock.START, Step.VERIFICATION),
        ("in_progress", "respond", "", "responded", Clock.START, Step.CLOSING),
        ("responded", "reply", "", "in_progress", Clock.START, Step.FOLLOW_UP),
        ("responded", "close", "", "closed", Clock.STOP, None),
        ("responded", "auto_close", "", "closed", Clock.STOP, None),
        ("closed", "reopen", "", "in_progress", Clock.START, Step.FOLLOW_UP),
        ("archived", "reopen", "", "submitted", Clock.START, Step.VERIFICATION),
        ("submitted", "archive", "", "archived", Clock.STOP, None),
        ("responded", "escalate", "", "escalated", Clock.STOP, None),
    ],
)
def test_transitions_and_clock_effects(status, action, variant, target, clock, step):
    # when the action is taken in the status
    t = workflow.transition_for(status, action, variant=variant)
    # then it lands where the lifecycle says, with the clock effect and SLA step
    assert t.lands_on(St(status)) == target
    assert t.clock == clock
    assert t.step == step


def test_reply_while_open_keeps_status_and_clock():
    t = workflow.transition_for("in_progress", "reply", variant="while_open")
    assert t.target is None and t.clock == Clock.KEEP


def test_not_allowed_lists_the_allowed_actions():
    # when a closed report is verified
    with pytest.raises(workflow.TransitionNotAllowed) as info:
        workflow.transition_for("closed", "verify")
    # then the error lists what a closed report allows
    assert "verify" not in info.value.allowed
    assert {"reopen", "rate", "support"} <= set(info.value.allowed)


def test_terminal_statuses_allow_no_work():
    for status in ("closed", "archived", "escalated"):
        allowed = set(workflow.allowed_actions(status))
        assert not allowed & {"dispose", "respond", "postpone", "forward", "verify"}


def test_allowed_actions_by_relation():
    # given a responded report
    # then the reporter may reply, close, escalate and rate; an officer may do none of those
    reporter = workflow.allowed_actions("responded", by=["reporter"])
    assert {"reply", "close", "escalate", "rate"} <= set(reporter)
    officer = workflow.allowed_actions("responded", by=["officer"])
    assert "close" not in officer and "reply" not in officer


def test_system_actions_are_not_api_actions():
    assert not set(workflow.SYSTEM_ACTIONS) & set(workflow.API_ACTIONS)
    assert Act.AUTO_CLOSE in workflow.SYSTEM_ACTIONS


def test_workflow_doc_is_generated_from_the_table():
    # given the committed docs/workflow.md
    # then it is exactly what render_mermaid produces (run `manage.py render_workflow`)
    assert DOC.read_text(encoding="utf-8") == workflow.render_mermaid()
    assert "stateDiagram-v2" in DOC.read_text(encoding="utf-8")
