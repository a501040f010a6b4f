"""Pure properties (no database): the timeline hash and the shape of the workflow graph."""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from lapor.reports import workflow
from lapor.reports.events import canonical_fields, compute_hash, normalise_data

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
data_dicts = st.dictionaries(st.text(max_size=8), json_values, max_size=6)


def _fields(data, **overrides):
    base: dict[str, Any] = {
        "tracking_id": "7KQ4M-9XMT3",
        "seq": 2,
        "action": "verify",
        "at": datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        "actor_id": 7,
        "actor_role": "national_admin",
        "from_status": "submitted",
        "to_status": "disposed",
        "from_agency_id": None,
        "to_agency_id": 3,
        "from_unit_id": None,
        "to_unit_id": None,
        "reason_code": "",
        "text": "teks",
        "deadline": None,
        "sla_step": "first_response",
        "is_internal": False,
        "data": normalise_data(data),
        "prev_hash": "a" * 64,
    }
    base.update(overrides)
    return canonical_fields(**base)


@given(data_dicts)
def test_normalising_is_idempotent_and_order_free(data):
    once = normalise_data(data)
    assert normalise_data(once) == once
    reordered = dict(reversed(list(data.items())))
    assert compute_hash(_fields(reordered)) == compute_hash(_fields(data))


@given(data_dicts, st.sampled_from(["seq", "text", "to_status", "prev_hash", "actor_id"]))
def test_any_field_change_changes_the_hash(data, name):
    changed = {"seq": 3, "text": "teks lain", "to_status": "archived", "prev_hash": "b" * 64,
               "actor_id": 8}[name]  # fmt: skip
    assert compute_hash(_fields(data)) != compute_hash(_fields(data, **{name: changed}))


def test_every_status_is_reachable_and_can_end():
    # given the directed graph of status-changing transitions
    edges: dict[str, set[str]] = {}
    for t in workflow.TABLE:
        if t.target is not None:
            for source in t.sources:
                edges.setdefault(str(source), set()).add(str(t.target))
    # then every status is reachable from submitted
    seen, queue = {"submitted"}, deque(["submitted"])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert seen == {str(s) for s in workflow.St}
    # and every open status can reach a terminal one
    for status in workflow.OPEN:
        assert edges[str(status)] & {str(s) for s in workflow.TERMINAL} or any(
            edges.get(n, set()) & {str(s) for s in workflow.TERMINAL} for n in edges[str(status)]
        )


def test_every_clock_operation_names_known_steps():
    for t in workflow.TABLE:
        for op in t.clock:
            assert all(step in workflow.Step for step in op.steps), t
            if op.op in (workflow.Op.START, workflow.Op.MEET, workflow.Op.END):
                assert op.steps, t  # these name their steps; only pause/resume take every one
            if op.op in (workflow.Op.END, workflow.Op.END_OTHERS):
                assert op.reason is not None, t
