# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure lifecycle decisions: transitions, selection by item, client tokens, previews, waiting."""

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.errors import UpdateSessionError
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import (
    client_token,
    plan_transition,
    preview_is_ready,
    preview_warning_types,
    select_active,
    summary,
    unignored_warnings,
    wait_until,
    with_preview_warnings,
)

SELF_SIGNED = "SELF_SIGNED_CERTIFICATE"
EXPIRED = "EXPIRED_CERTIFICATE"


@pytest.mark.parametrize("target, current, action", [
    ("completed", "ACTIVE", "complete"), ("completed", "DONE", None),
    ("canceled", "ACTIVE", "cancel"), ("canceled", "CANCELED", None),
    ("failed", "ACTIVE", "fail"), ("failed", "ERROR", None),
])
def test_transitions(target, current, action):
    assert plan_transition("s", current, target) == action


@pytest.mark.parametrize("target, current", [
    ("completed", "CANCELED"), ("completed", "ERROR"), ("canceled", "DONE"), ("canceled", "ERROR"),
    ("failed", "DONE"), ("failed", "CANCELED"),
])
def test_impossible_transitions(target, current):
    with pytest.raises(UpdateSessionError) as error:
        plan_transition("s", current, target)
    assert error.value.msg == "update session s is %s and cannot be %s; only ACTIVE sessions can be" % (current, target)


def test_select_active():
    assert select_active("item", []) is None
    assert select_active("item", [{"id": "a", "state": "DONE"}]) is None
    assert select_active("item", [{"id": "a", "state": "DONE"}, {"id": "b", "state": "ACTIVE"}])["id"] == "b"
    with pytest.raises(UpdateSessionError) as error:
        select_active("item", [{"id": "b", "state": "ACTIVE"}, {"id": "a", "state": "ACTIVE"}])
    assert error.value.msg == "library item item has 2 ACTIVE update sessions (a, b); use update_session_id to choose one"
    assert error.value.details["update_session_ids"] == ["a", "b"]


def test_client_token_is_a_uuid_determined_by_its_inputs_alone():
    token = client_token(item="i", behavior=[{"type": SELF_SIGNED, "ignored": True}], sessions=[])
    assert token == client_token(sessions=[], behavior=[{"ignored": True, "type": SELF_SIGNED}], item="i")
    assert len(token) == 36 and token.count("-") == 4
    assert token != client_token(item="i", behavior=[], sessions=[])
    assert token != client_token(item="i", behavior=[{"type": SELF_SIGNED, "ignored": True}], sessions=["old"])


@pytest.mark.parametrize("preview, types", [
    (None, set()),
    ({"state": "PREPARING"}, set()),
    ({"state": "AVAILABLE"}, set()),
    ({"state": "AVAILABLE", "warnings": None}, set()),
    ({"state": "AVAILABLE", "warnings": [{"type": SELF_SIGNED, "ignored": False}, {"type": EXPIRED}]},
     {SELF_SIGNED, EXPIRED}),
])
def test_preview_warning_types_tolerate_unset_warnings(preview, types):
    session = {} if preview is None else {"preview_info": preview}
    assert preview_warning_types(session) == types


@pytest.mark.parametrize("state, ready", [
    ("AVAILABLE", True), ("NOT_APPLICABLE", True), ("PREPARING", False), ("UNAVAILABLE", False), (None, False),
])
def test_preview_is_ready(state, ready):
    assert preview_is_ready({"preview_info": {"state": state}} if state else {}) is ready


def test_explicit_entries_win_over_the_preview():
    session = {"preview_info": {"state": "AVAILABLE", "warnings": [{"type": SELF_SIGNED}, {"type": EXPIRED}]}}
    assert with_preview_warnings({EXPIRED: False}, session) == {SELF_SIGNED: True, EXPIRED: False}
    assert with_preview_warnings({}, {"preview_info": {"state": "NOT_APPLICABLE"}}) == {}


def test_unignored_warnings():
    session = {
        "warning_behavior": [{"type": SELF_SIGNED, "ignored": True}, {"type": EXPIRED, "ignored": False}],
        "preview_info": {"state": "AVAILABLE", "warnings": [{"type": EXPIRED}, {"type": SELF_SIGNED}]},
    }
    assert unignored_warnings(session) == [EXPIRED]


def test_summary_is_what_the_diff_shows():
    assert summary(None) == {}
    assert summary({"state": "ACTIVE", "warning_behavior": [{"type": SELF_SIGNED, "ignored": True},
                                                            {"type": EXPIRED, "ignored": False}]}) == {
        "state": "ACTIVE",
        "warning_behavior": [{"type": EXPIRED, "ignored": False}, {"type": SELF_SIGNED, "ignored": True}],
    }


class FakeClock:
    """Time that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_until_backs_off_exponentially_up_to_a_cap():
    time = FakeClock()
    values = iter(range(100))
    result = wait_until(lambda: next(values), lambda value: value == 6, 100, None,
                        clock=time.clock, sleep=time.sleep, first_interval=0.25, max_interval=2)
    assert result == 6
    assert time.sleeps == [0.25, 0.5, 1, 2, 2, 2]


def test_wait_until_reads_once_more_at_the_deadline_then_raises():
    time = FakeClock()
    reads = []

    def read():
        reads.append(time.now)
        return "PREPARING"

    with pytest.raises(UpdateSessionError) as error:
        wait_until(read, lambda value: False, 1.0, lambda value: UpdateSessionError("still %s" % value),
                   clock=time.clock, sleep=time.sleep)
    assert error.value.msg == "still PREPARING"
    assert time.sleeps == [0.25, 0.5, 0.25]
    assert reads == [0, 0.25, 0.75, 1.0]


def test_wait_until_with_zero_timeout_reads_once():
    time = FakeClock()
    assert wait_until(lambda: "AVAILABLE", preview_is_ready_value, 0, None, clock=time.clock, sleep=time.sleep) \
        == "AVAILABLE"
    assert time.sleeps == []


def preview_is_ready_value(value):
    return value == "AVAILABLE"
