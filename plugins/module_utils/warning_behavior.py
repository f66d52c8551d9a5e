# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Pure logic for an update session's ``warning_behavior``: normalise, compare, plan.

A warning_behavior list is compared as a mapping from warning type to
``ignored``; order and duplicates carry no meaning.
"""

import copy

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import WARNING_TYPES
from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    InvalidOptionError,
    UpdateSessionError,
)

ACTIVE = "ACTIVE"


def normalize_requested(entries):
    """Turn the module's list of ``{type, ignored}`` into a mapping, each type in the API's upper case.

    Duplicates that agree are merged; duplicates that conflict are an error
    naming every such type (sorted, so the order of the entries does not change
    the message), so the user's intent is never guessed.
    """
    mapping = {}
    conflicts = set()
    for entry in entries or []:
        # As library_name is matched: regardless of case and surrounding spaces.
        warning_type = str(entry.get("type") or "").strip().upper()
        if warning_type not in WARNING_TYPES:
            raise InvalidOptionError(
                "warning_behavior type %r is not one of: %s" % (entry.get("type"), ", ".join(WARNING_TYPES))
            )
        ignored = entry.get("ignored", True)
        ignored = True if ignored is None else bool(ignored)
        if mapping.get(warning_type, ignored) != ignored:
            conflicts.add(warning_type)
        mapping[warning_type] = ignored
    if conflicts:
        raise InvalidOptionError(
            "warning_behavior lists %s more than once with conflicting ignored values" % ", ".join(sorted(conflicts))
        )
    return mapping


def as_mapping(server_entries):
    """The server's warning_behavior (possibly unset) as a mapping."""
    return dict((entry["type"], bool(entry["ignored"])) for entry in server_entries or [])


def as_list(mapping):
    """A mapping as the API's list shape, sorted by type so output and diffs are stable."""
    return [{"type": warning_type, "ignored": mapping[warning_type]} for warning_type in sorted(mapping)]


class WarningBehaviorPlan:
    """The change from a session's current warning_behavior to the desired one."""

    def __init__(self, current, desired):
        self.current = current
        self.desired = desired

    @property
    def changed(self):
        return self.current != self.desired

    @property
    def before(self):
        return as_list(self.current)

    @property
    def after(self):
        return as_list(self.desired)


def plan_warning_behavior(current_entries, requested, purge):
    """Plan the desired list: the requested entries over the current ones, or alone when purging."""
    current = as_mapping(current_entries)
    desired = {} if purge else dict(current)
    desired.update(requested)
    return WarningBehaviorPlan(current, desired)


def ensure_updatable(session_id, session):
    """Only ACTIVE sessions accept a PATCH; say so before the server does."""
    state = session.get("state")
    if state != ACTIVE:
        raise UpdateSessionError(
            "update session %s is %s; only ACTIVE sessions can be updated" % (session_id, state),
            state=state,
        )


def predict_session(session, mapping):
    """The session as it will read after ``mapping`` is applied (for check mode).

    vCenter reflects warning_behavior in each preview warning's ``ignored``.
    """
    predicted = copy.deepcopy(session)
    predicted["warning_behavior"] = as_list(mapping)
    for warning in (predicted.get("preview_info") or {}).get("warnings") or []:
        if warning.get("type") in mapping:
            warning["ignored"] = mapping[warning["type"]]
    return predicted


def ensure_applied(session_id, plan, session):
    """Fail when a PATCH was accepted but the session does not show the change."""
    actual = as_mapping(session.get("warning_behavior"))
    if actual != plan.desired:
        raise UpdateSessionError(
            "vCenter accepted the change to update session %s but did not apply it: "
            "warning_behavior reads %s, expected %s" % (session_id, as_list(actual), plan.after),
            warning_behavior=as_list(actual),
        )
