# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Update sessions over a logged-in VSphereClient: the workflows built on the calls of ``session_calls``.

The decisions are made by the pure functions of ``warning_behavior`` and
``lifecycle``; this module only sequences the calls around them.
"""

import copy

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import SESSION_STATES, note_unknown_values
from ansible_collections.vsphere.content.plugins.module_utils.errors import UpdateSessionError
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import (
    DONE,
    ERROR,
    TRANSITIONS,
    error_text,
    plan_transition,
    preview_is_ready,
    select_active,
    summary,
    unignored_warnings,
    with_preview_warnings,
)
from ansible_collections.vsphere.content.plugins.module_utils.file_reports import validation_problems
from ansible_collections.vsphere.content.plugins.module_utils.session_calls import (
    delete_update_session,
    find_update_session,
    get_update_session,
    list_update_sessions,
    open_update_session,
    session_action,
    update_warning_behavior,
    wait_for_outcome,
    wait_for_preview,
)
from ansible_collections.vsphere.content.plugins.module_utils.session_files import validate_files
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import (
    ACTIVE,
    as_list,
    ensure_applied,
    ensure_updatable,
    plan_warning_behavior,
    predict_session,
)


# -- the workflow behind content_library_update_session ----------------------------


class SessionRequest:
    """What the user asked for, in the module's terms, with ``warning_behavior`` already normalised."""

    def __init__(self, update_session_id=None, library_item_id=None, state="present", warning_behavior=None,
                 purge_warning_behavior=False, ignore_preview_warnings=False, preview_timeout=300,
                 keep_alive=False, client_error_message=None, wait=True, wait_timeout=600, token_scope=None):
        self.update_session_id = update_session_id
        self.library_item_id = library_item_id
        self.state = state
        # None when not given; {} when given empty (which still counts as asking, e.g. with purge).
        self.warning_behavior = warning_behavior
        self.purge_warning_behavior = purge_warning_behavior
        self.ignore_preview_warnings = ignore_preview_warnings
        self.preview_timeout = preview_timeout
        self.keep_alive = keep_alive
        self.client_error_message = client_error_message
        self.wait = wait
        self.wait_timeout = wait_timeout
        # Who asks (host, user): part of the client_token, so two users never share one.
        self.token_scope = token_scope or {}

    @property
    def changes_warning_behavior(self):
        return self.warning_behavior is not None or self.purge_warning_behavior or self.ignore_preview_warnings


class Outcome:
    """What a run did: whether it changed anything, the session afterwards, and a renderable diff."""

    def __init__(self):
        self.changed = False
        self.session = None
        self.before = {}
        self.after = {}
        self.label = None
        self.warnings = []
        self.msg = None

    def observe(self, session):
        """Report the values of ``session`` that this collection does not know (a later release's)."""
        note_unknown_values(self.warnings, session, label=self.label)

    @property
    def diff(self):
        return {"before": self.before, "after": self.after,
                "before_header": self.label, "after_header": self.label}


def reconcile_update_session(client, request, check_mode):
    """Bring one update session to ``request``; return an Outcome. Check mode sends no write."""
    outcome = Outcome()
    session, known_ids = _locate(client, request)
    outcome.before = summary(session)
    outcome.label = _label(request, session)
    if request.state == "absent":
        _remove(client, session, check_mode, outcome)
        return outcome
    if session is None:
        if request.update_session_id is not None:
            raise UpdateSessionError("update session %s not found" % request.update_session_id, status=404)
        if request.state != "present":
            outcome.msg = "library item %s has no ACTIVE update session" % request.library_item_id
            return outcome
        session = _create(client, request, known_ids, check_mode, outcome)
        created = True
    else:
        created = False
    if request.changes_warning_behavior and (session["state"] == ACTIVE or request.state == "present"):
        session = _apply_warning_behavior(client, request, session, created and check_mode, check_mode, outcome)
    if request.keep_alive and not created:
        session = _keep_alive(client, session, check_mode, outcome)
    if request.state in TRANSITIONS:
        session = _transition(client, request, session, check_mode, outcome)
    outcome.session = session
    outcome.after = summary(session)
    outcome.observe(session)
    return outcome


def _locate(client, request):
    """The session the request names, or the item's ACTIVE one; and the ids of the item's sessions."""
    if request.update_session_id is not None:
        return find_update_session(client, request.update_session_id), []
    item_id = request.library_item_id
    sessions = list_update_sessions(client, item_id)
    if sessions is None:
        raise UpdateSessionError("library item %s not found" % item_id, status=404)
    return select_active(item_id, sessions), [session["id"] for session in sessions]


def _label(request, session):
    if session is not None:
        return "update session %s" % session["id"]
    if request.update_session_id is not None:
        return "update session %s" % request.update_session_id
    return "new update session for library item %s" % request.library_item_id


def _create(client, request, known_ids, check_mode, outcome):
    outcome.changed = True
    warning_behavior = as_list(request.warning_behavior or {})
    if check_mode:
        return _predicted_new_session(request.library_item_id, warning_behavior)
    session = open_update_session(client, request.library_item_id, warning_behavior, request.token_scope, known_ids)
    outcome.label = "update session %s" % session["id"]
    return session


def _predicted_new_session(library_item_id, warning_behavior):
    session = {"id": None, "library_item_id": library_item_id, "state": ACTIVE, "client_progress": 0}
    if warning_behavior:
        session["warning_behavior"] = warning_behavior
    return session


def _apply_warning_behavior(client, request, session, predicted, check_mode, outcome):
    """Merge/purge the requested entries (plus the preview's warnings when asked) into the session."""
    requested = request.warning_behavior or {}
    if request.ignore_preview_warnings and not predicted:
        # Fail at once on a finished session: it has no preview to wait for.
        ensure_updatable(session["id"], session)
        if not preview_is_ready(session):
            session = wait_for_preview(client, session["id"], request.preview_timeout, outcome.observe)
        requested = with_preview_warnings(requested, session)
    plan = plan_warning_behavior(session.get("warning_behavior"), requested, request.purge_warning_behavior)
    if not plan.changed:
        return session
    # Fail in check mode too: the real run would.
    ensure_updatable(session["id"], session)
    outcome.changed = True
    if check_mode:
        return predict_session(session, plan.desired)
    update_warning_behavior(client, session["id"], plan.after)
    session = get_update_session(client, session["id"])
    ensure_applied(session["id"], plan, session)
    return session


def _keep_alive(client, session, check_mode, outcome):
    # Extending the expiry always changes the session, so this always reports changed.
    ensure_updatable(session["id"], session)
    outcome.changed = True
    if check_mode:
        return session
    session_action(client, session["id"], "keep-alive")
    return get_update_session(client, session["id"])


def _transition(client, request, session, check_mode, outcome):
    action = plan_transition(session["id"], session["state"], request.state)
    if action is None:
        return session
    outcome.changed = True
    if check_mode:
        return _predict_transition(request, session, outcome)
    if action == "complete":
        ensure_files_valid(client, session["id"])
    body = {"client_error_message": request.client_error_message} if action == "fail" else None
    session_action(client, session["id"], action, body)
    session = get_update_session(client, session["id"])
    if action != "complete":
        return session
    if request.wait and session["state"] == ACTIVE:
        session = wait_for_outcome(client, session["id"], request.wait_timeout, outcome.observe)
    if session["state"] == ERROR:
        raise UpdateSessionError(
            "update session %s failed to complete: %s" % (session["id"], error_text(session)),
            changed=True, update_session=session, error_message=session.get("error_message"),
        )
    if session["state"] not in (ACTIVE, DONE):
        # CANCELED by someone else, or a state a later release adds: not a completion either way.
        raise UpdateSessionError(
            "update session %s is %s after it was completed, not DONE%s" % (
                session["id"], session["state"],
                "" if session["state"] in SESSION_STATES else " (a state this collection does not know)"),
            changed=True, update_session=session,
        )
    return session


def ensure_files_valid(client, session_id):
    """Ask vCenter to validate the session's files before completing it, and fail naming each problem:
    completing with missing or invalid files only gives vCenter's opaque error."""
    problems = validation_problems(validate_files(client, session_id))
    if problems:
        raise UpdateSessionError(
            "update session %s cannot be completed: %s" % (session_id, "; ".join(problems)),
            problems=problems,
        )


def _predict_transition(request, session, outcome):
    predicted = copy.deepcopy(session)
    predicted.pop("preview_info", None)  # vCenter keeps a preview only while ACTIVE
    predicted["state"] = TRANSITIONS[request.state][0]
    if request.state == "completed":
        raised = unignored_warnings(session)
        if raised:
            predicted["state"] = ERROR
            outcome.warnings.append(
                "completing %s would fail: its preview raised %s, which it does not ignore"
                % (outcome.label, ", ".join(raised))
            )
    return predicted


def _remove(client, session, check_mode, outcome):
    if session is None:
        return
    outcome.changed = True
    if check_mode:
        return
    if session["state"] == ACTIVE:
        # vCenter refuses to delete an ACTIVE session; cancelling first is what "absent" needs.
        session_action(client, session["id"], "cancel")
    delete_update_session(client, session["id"])
