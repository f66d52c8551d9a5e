# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Laws of normalise, compare and plan, checked by hypothesis (derandomized, so every run tries the same inputs)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import (
    WARNING_TYPES,
    as_mapping,
    normalize_requested,
    plan_warning_behavior,
)

EXAMPLES = settings(max_examples=100, derandomize=True, database=None, deadline=None)
entry = st.fixed_dictionaries({"type": st.sampled_from(WARNING_TYPES), "ignored": st.booleans()})
server_lists = st.lists(entry, max_size=6)
# A server list has each type once; the module's input may repeat a type.
unique_server_lists = st.lists(entry, max_size=4, unique_by=lambda e: e["type"])
mappings = st.dictionaries(st.sampled_from(WARNING_TYPES), st.booleans())


@pytest.fixture(scope="module")
def count(figures):
    def tick():
        figures.add("properties", "properties.examples")
    return tick


def plan(current, requested, purge):
    return plan_warning_behavior(current, requested, purge)


@EXAMPLES
@given(current=server_lists, requested=mappings, purge=st.booleans())
def test_applying_the_plan_then_planning_again_changes_nothing(count, current, requested, purge):
    count()
    first = plan(current, requested, purge)
    second = plan(first.after, requested, purge)
    assert not second.changed
    assert second.desired == first.desired, "applying twice is applying once"


@EXAMPLES
@given(current=unique_server_lists, requested=st.lists(entry, max_size=6), purge=st.booleans(), data=st.data())
def test_order_never_matters(count, current, requested, purge, data):
    count()
    shuffled_current = data.draw(st.permutations(current))
    shuffled_requested = data.draw(st.permutations(requested))
    try:
        mapping = normalize_requested(requested)
    except InvalidOptionError as error:
        with pytest.raises(InvalidOptionError) as again:
            normalize_requested(shuffled_requested)
        assert again.value.msg == error.msg
        return
    assert normalize_requested(shuffled_requested) == mapping
    original, shuffled = plan(current, mapping, purge), plan(shuffled_current, mapping, purge)
    assert (original.desired, original.changed, original.after) == (shuffled.desired, shuffled.changed, shuffled.after)


@EXAMPLES
@given(current=server_lists, requested=mappings)
def test_purge_leaves_exactly_what_was_requested(count, current, requested):
    count()
    assert plan(current, requested, purge=True).desired == requested


@EXAMPLES
@given(current=server_lists, requested=mappings)
def test_merge_keeps_every_unlisted_type_as_the_server_has_it(count, current, requested):
    count()
    desired = plan(current, requested, purge=False).desired
    server = as_mapping(current)
    assert desired == dict(server, **requested)
    for warning_type in set(server) - set(requested):
        assert desired[warning_type] is server[warning_type]


@EXAMPLES
@given(current=server_lists, first=mappings, second=mappings, purge_first=st.booleans())
def test_two_runs_equal_one_run_of_both(count, current, first, second, purge_first):
    count()
    after_first = plan(current, first, purge_first).after
    assert plan(after_first, second, purge=False).desired == plan(current, dict(first, **second), purge_first).desired


@EXAMPLES
@given(current=server_lists, requested=mappings, purge=st.booleans())
def test_changed_exactly_when_the_mappings_differ(count, current, requested, purge):
    count()
    result = plan(current, requested, purge)
    assert result.changed == (as_mapping(current) != result.desired)
    assert result.after == sorted(result.after, key=lambda e: e["type"])


@EXAMPLES
@given(entries=st.lists(st.fixed_dictionaries({
    "type": st.one_of(st.sampled_from(WARNING_TYPES), st.text(max_size=30), st.none()),
    "ignored": st.sampled_from([True, False, None]),
}), max_size=6), current=server_lists, purge=st.booleans())
def test_random_requests_are_planned_or_refused_with_one_line(count, entries, current, purge):
    count()
    try:
        mapping = normalize_requested(entries)
    except InvalidOptionError as error:
        assert "\n" not in error.msg and error.msg.startswith("warning_behavior ")
        return
    assert set(mapping) <= set(WARNING_TYPES)
    plan(current, mapping, purge)
