"""Every declared action has what its surfaces need: a transition in the table (its clock
effect, documented in docs/workflow.md), a policy row, an API route and a form."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import get_template

from lapor.accounts.policy import POLICY
from lapor.reports import workflow
from lapor.reports.actions.registry import ACTIONS

ROOT = Path(__file__).resolve().parents[3]
USER_ACTIONS = [name for name, spec in ACTIONS.items() if not spec.system]


def test_every_action_of_the_table_is_declared_once():
    table = {str(t.action) for t in workflow.TABLE} - {workflow.Act.SUBMIT}
    assert set(ACTIONS) == table
    assert set(USER_ACTIONS) == set(workflow.API_ACTIONS)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_has_a_policy_row_and_a_documented_clock_effect(name):
    spec = ACTIONS[name]
    assert spec.policy in POLICY, name
    assert workflow.transitions_for(name), name
    assert f"`{name}`" in (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(USER_ACTIONS))
def test_each_action_has_an_api_route_and_a_form(name, client):
    schema = client.get("/api/v1/openapi.json").json()
    route = f"/api/v1/reports/{{tracking_id}}/{name}"
    assert "post" in schema["paths"][route], name
    # support is a button on every report card; every other action has its form
    template = "web/report/_support.html" if name == "support" else f"web/actions/{name}.html"
    assert get_template(template) is not None
