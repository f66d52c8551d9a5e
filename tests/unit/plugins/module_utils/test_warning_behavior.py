# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure warning_behavior logic: normalise, compare, plan, predict."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    InvalidOptionError,
    UpdateSessionError,
)
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import (
    WARNING_TYPES,
    as_list,
    as_mapping,
    ensure_applied,
    ensure_updatable,
    normalize_requested,
    plan_warning_behavior,
    predict_session,
)

SELF_SIGNED, EXPIRED, NOT_YET_VALID, UNTRUSTED = WARNING_TYPES

entries = st.lists(st.fixed_dictionaries({"type": st.sampled_from(WARNING_TYPES), "ignored": st.booleans()}))


def test_ignored_defaults_to_true():
    assert normalize_requested([{"type": SELF_SIGNED}]) == {SELF_SIGNED: True}
    assert normalize_requested([{"type": SELF_SIGNED, "ignored": None}]) == {SELF_SIGNED: True}


def test_agreeing_duplicates_are_merged():
    requested = [{"type": EXPIRED, "ignored": False}, {"type": EXPIRED, "ignored": False}]
    assert normalize_requested(requested) == {EXPIRED: False}


def test_conflicting_duplicates_name_the_type():
    with pytest.raises(InvalidOptionError, match="EXPIRED_CERTIFICATE more than once with conflicting"):
        normalize_requested([{"type": EXPIRED, "ignored": True}, {"type": EXPIRED, "ignored": False}])


def test_unknown_type_is_rejected():
    with pytest.raises(InvalidOptionError, match="'BAD_CERT' is not one of"):
        normalize_requested([{"type": "BAD_CERT"}])


def test_unset_server_list_is_empty():
    assert as_mapping(None) == {}
    assert as_list({}) == []


def test_as_list_sorts_by_type():
    assert [e["type"] for e in as_list({UNTRUSTED: True, EXPIRED: False, SELF_SIGNED: True})] == [
        EXPIRED, SELF_SIGNED, UNTRUSTED,
    ]


def test_merge_keeps_unlisted_types_as_the_server_has_them():
    current = [{"type": EXPIRED, "ignored": False}, {"type": UNTRUSTED, "ignored": True}]
    plan = plan_warning_behavior(current, {SELF_SIGNED: True}, purge=False)
    assert plan.changed
    assert plan.desired == {EXPIRED: False, UNTRUSTED: True, SELF_SIGNED: True}


def test_purge_drops_unlisted_types():
    current = [{"type": EXPIRED, "ignored": False}, {"type": SELF_SIGNED, "ignored": True}]
    plan = plan_warning_behavior(current, {SELF_SIGNED: True}, purge=True)
    assert plan.changed
    assert plan.after == [{"type": SELF_SIGNED, "ignored": True}]


def test_purge_with_nothing_requested_clears_the_list():
    plan = plan_warning_behavior([{"type": EXPIRED, "ignored": True}], {}, purge=True)
    assert plan.changed and plan.after == []


def test_order_does_not_matter():
    current = [{"type": UNTRUSTED, "ignored": True}, {"type": SELF_SIGNED, "ignored": True}]
    assert not plan_warning_behavior(current, {SELF_SIGNED: True, UNTRUSTED: True}, purge=True).changed


def test_a_flipped_flag_is_a_change():
    plan = plan_warning_behavior([{"type": SELF_SIGNED, "ignored": True}], {SELF_SIGNED: False}, purge=False)
    assert plan.changed
    assert plan.before == [{"type": SELF_SIGNED, "ignored": True}]
    assert plan.after == [{"type": SELF_SIGNED, "ignored": False}]


@given(current=entries, requested=entries, purge=st.booleans())
def test_applying_a_plan_makes_it_idempotent(current, requested, purge):
    requested_mapping = {e["type"]: e["ignored"] for e in requested}
    plan = plan_warning_behavior(current, requested_mapping, purge)
    again = plan_warning_behavior(plan.after, requested_mapping, purge)
    assert not again.changed
    for warning_type, ignored in requested_mapping.items():
        assert plan.desired[warning_type] is ignored
    if not purge:
        assert set(plan.desired) >= set(as_mapping(current))


@given(current=entries, requested=entries, purge=st.booleans())
def test_changed_means_the_mappings_differ(current, requested, purge):
    requested_mapping = {e["type"]: e["ignored"] for e in requested}
    plan = plan_warning_behavior(current, requested_mapping, purge)
    assert plan.changed == (as_mapping(current) != plan.desired)


@pytest.mark.parametrize("state", ["DONE", "ERROR", "CANCELED"])
def test_only_active_sessions_are_updatable(state):
    with pytest.raises(UpdateSessionError, match="s-1 is %s; only ACTIVE sessions can be updated" % state):
        ensure_updatable("s-1", {"state": state})
    ensure_updatable("s-1", {"state": "ACTIVE"})


def test_prediction_reflects_behavior_in_preview_warnings():
    session = {
        "state": "ACTIVE",
        "warning_behavior": [{"type": EXPIRED, "ignored": False}],
        "preview_info": {"state": "AVAILABLE", "warnings": [
            {"type": SELF_SIGNED, "ignored": False, "message": {}},
            {"type": UNTRUSTED, "ignored": False, "message": {}},
        ]},
    }
    predicted = predict_session(session, {EXPIRED: False, SELF_SIGNED: True})
    assert predicted["warning_behavior"] == [{"type": EXPIRED, "ignored": False}, {"type": SELF_SIGNED, "ignored": True}]
    assert [w["ignored"] for w in predicted["preview_info"]["warnings"]] == [True, False]
    assert session["preview_info"]["warnings"][0]["ignored"] is False, "the input must not be modified"


def test_prediction_without_preview_warnings():
    assert predict_session({"state": "ACTIVE", "preview_info": {"state": "PREPARING"}}, {})["warning_behavior"] == []


def test_a_change_that_did_not_stick_is_an_error():
    plan = plan_warning_behavior([], {SELF_SIGNED: True}, purge=False)
    ensure_applied("s-1", plan, {"warning_behavior": [{"type": SELF_SIGNED, "ignored": True}]})
    with pytest.raises(UpdateSessionError, match="accepted the change to update session s-1 but did not apply it"):
        ensure_applied("s-1", plan, {})
