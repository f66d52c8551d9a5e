# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Pure decisions about an update session's lifecycle: which action reaches a state, which session
a library item selects, what a preview asks to ignore, and how to wait.

Nothing here talks to vCenter; ``update_sessions`` sequences the calls.
"""

import json
import time
import uuid

from ansible_collections.vsphere.content.plugins.module_utils.errors import UpdateSessionError
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import ACTIVE, as_list, as_mapping

DONE = "DONE"
ERROR = "ERROR"
CANCELED = "CANCELED"

# Module state -> (the session state it means, the API action that reaches it from ACTIVE).
TRANSITIONS = {
    "completed": (DONE, "complete"),
    "canceled": (CANCELED, "cancel"),
    "failed": (ERROR, "fail"),
}
PREVIEW_READY = ("AVAILABLE", "NOT_APPLICABLE")

# A fixed namespace, so the same task inputs always give the same client_token.
CLIENT_TOKEN_NAMESPACE = uuid.UUID("6a3f0c8e-2b1d-5e47-9c0a-8d3b7f6e1a25")


def plan_transition(session_id, current_state, target):
    """The action that brings a session in ``current_state`` to module state ``target``.

    None when it is there already; UpdateSessionError when no action can get it there.
    """
    final_state, action = TRANSITIONS[target]
    if current_state == final_state:
        return None
    if current_state == ACTIVE:
        return action
    raise UpdateSessionError(
        "update session %s is %s and cannot be %s; only ACTIVE sessions can be" % (session_id, current_state, target),
        state=current_state,
    )


def select_active(library_item_id, sessions):
    """The item's single ACTIVE session, or None; more than one is an error that names them all."""
    active = [session for session in sessions if session.get("state") == ACTIVE]
    if len(active) > 1:
        ids = sorted(session["id"] for session in active)
        raise UpdateSessionError(
            "library item %s has %d ACTIVE update sessions (%s); use update_session_id to choose one"
            % (library_item_id, len(ids), ", ".join(ids)),
            update_session_ids=ids,
        )
    return active[0] if active else None


def client_token(**inputs):
    """A UUID derived only from ``inputs``: a retried create sends the same token and gets the same session.

    Callers include the item's existing session ids, so the next upload to the
    same item (after this session is done) derives a new token.
    """
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"))
    return str(uuid.uuid5(CLIENT_TOKEN_NAMESPACE, canonical))


def preview_state(session):
    return (session.get("preview_info") or {}).get("state")


def preview_is_ready(session):
    return preview_state(session) in PREVIEW_READY


def preview_warning_types(session):
    """The warning types the preview raised; an unset warnings list raises none."""
    warnings = (session.get("preview_info") or {}).get("warnings") or []
    return set(warning["type"] for warning in warnings if warning.get("type"))


def with_preview_warnings(requested, session):
    """Ignore every type the preview raised; explicit entries in ``requested`` win on conflict."""
    mapping = dict((warning_type, True) for warning_type in preview_warning_types(session))
    mapping.update(requested)
    return mapping


def unignored_warnings(session):
    """Preview warnings that completing the session would not ignore, by the session's warning_behavior."""
    behavior = as_mapping(session.get("warning_behavior"))
    return sorted(t for t in preview_warning_types(session) if not behavior.get(t, False))


def summary(session):
    """The part of a session a diff shows: its state and warning_behavior; {} when there is none."""
    if not session:
        return {}
    return {
        "state": session.get("state"),
        "warning_behavior": as_list(as_mapping(session.get("warning_behavior"))),
    }


def error_text(session):
    message = session.get("error_message") or {}
    return message.get("default_message") or message.get("id") or "no error message"


def wait_until(read, is_done, timeout, on_timeout, clock=time.monotonic, sleep=time.sleep,
               first_interval=0.25, max_interval=5.0):
    """Call ``read()`` until ``is_done(value)``, backing off exponentially; return that value.

    The last sleep is cut short at the deadline and ``read()`` runs once more,
    so a state reached just in time still counts. At the deadline raise the
    exception ``on_timeout(last value)`` returns.
    """
    deadline = clock() + timeout
    interval = first_interval
    while True:
        value = read()
        if is_done(value):
            return value
        remaining = deadline - clock()
        if remaining <= 0:
            raise on_timeout(value)
        sleep(min(interval, remaining))
        interval = min(interval * 2, max_interval)
