# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The API calls of update sessions, opening one with a client token, and waiting for a session's preview or
outcome.

Only calls here; ``update_sessions`` builds the workflows on them.
"""

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    TaskCanceled,
    UpdateSessionError,
    VSphereContentError,
)
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import (
    client_token,
    preview_is_ready,
    preview_state,
    wait_until,
)
from ansible_collections.vsphere.content.plugins.module_utils.session_files import UPDATE_SESSIONS
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import api_path
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import ACTIVE

MAX_CREATE_ATTEMPTS = 3


# -- the API calls ---------------------------------------------------------------


def find_update_session(client, session_id):
    """The session model with its ``id`` added (GET omits it), or None when vCenter does not know it."""
    try:
        session = client.request(
            "GET", api_path(UPDATE_SESSIONS, session_id), "get update session %s" % session_id
        )
    except ApiError as exc:
        if exc.is_not_found:
            return None
        raise
    session = dict(session or {})
    session["id"] = session_id
    return session


def get_update_session(client, session_id):
    """Like ``find_update_session``, but an unknown id is an UpdateSessionError."""
    session = find_update_session(client, session_id)
    if session is None:
        raise UpdateSessionError("update session %s not found" % session_id, status=404)
    return session


def list_update_session_ids(client, library_item_id=None):
    """Ids of the calling user's sessions, optionally of one library item (None when the item is unknown)."""
    params = {"library_item_id": library_item_id} if library_item_id is not None else None
    try:
        return client.request("GET", UPDATE_SESSIONS, "list update sessions", params=params) or []
    except ApiError as exc:
        if exc.is_not_found and library_item_id is not None:
            return None
        raise


def list_update_sessions(client, library_item_id=None):
    """Full models of the calling user's sessions; sessions deleted while listing are skipped."""
    ids = list_update_session_ids(client, library_item_id)
    if ids is None:
        return None
    sessions = (find_update_session(client, session_id) for session_id in ids)
    return [session for session in sessions if session is not None]


def update_warning_behavior(client, session_id, warning_behavior):
    """PATCH only ``warning_behavior``; other model fields are never sent."""
    client.request(
        "PATCH",
        api_path(UPDATE_SESSIONS, session_id),
        "update update session %s" % session_id,
        body={"warning_behavior": warning_behavior},
    )


def create_update_session(client, library_item_id, warning_behavior, token):
    """POST a new session; its client token makes a repeated POST return the same session."""
    body = {"library_item_id": library_item_id}
    if warning_behavior:
        body["warning_behavior"] = warning_behavior
    return client.request(
        "POST",
        UPDATE_SESSIONS,
        "create an update session for library item %s" % library_item_id,
        body=body,
        client_token=token,
    )


def session_action(client, session_id, action, body=None):
    """POST ``?action=`` complete, cancel, fail or keep-alive."""
    client.request(
        "POST",
        api_path(UPDATE_SESSIONS, session_id),
        "%s update session %s" % (action, session_id),
        params={"action": action},
        body=body,
    )


def delete_update_session(client, session_id):
    try:
        client.request("DELETE", api_path(UPDATE_SESSIONS, session_id), "delete update session %s" % session_id)
    except ApiError as exc:
        # Gone already (expired, or deleted by someone else): the goal is met.
        if not exc.is_not_found:
            raise


# -- waiting ----------------------------------------------------------------------


def wait_for_preview(client, session_id, timeout, observe=None):
    """Poll until the preview is AVAILABLE or NOT_APPLICABLE; fail at ``timeout`` naming its last state.
    ``observe(session)`` sees every read (a state a later release adds is waited through, and reported)."""
    return wait_until(
        lambda: _observed(get_update_session(client, session_id), observe),
        preview_is_ready,
        timeout,
        lambda session: UpdateSessionError(
            "the preview of update session %s was still %s after %s seconds (preview_timeout)"
            % (session_id, preview_state(session) or "unset", _format_seconds(timeout)),
            preview_state=preview_state(session),
        ),
    )


def wait_for_outcome(client, session_id, timeout, observe=None):
    """Poll a completing session until it leaves ACTIVE; fail at ``timeout``. ``observe`` as above."""
    return wait_until(
        lambda: _observed(get_update_session(client, session_id), observe),
        lambda session: session.get("state") != ACTIVE,
        timeout,
        lambda session: UpdateSessionError(
            "update session %s was still ACTIVE %s seconds after it was completed (wait_timeout)"
            % (session_id, _format_seconds(timeout)),
            changed=True,
            update_session=session,
        ),
    )


def _observed(session, observe):
    if observe is not None:
        observe(session)
    return session


def _format_seconds(value):
    return ("%g" % value) if isinstance(value, float) else str(value)


def open_update_session(client, library_item_id, warning_behavior, token_scope, known_ids):
    """Create an ACTIVE session on the item and return its model; a retried create gets the same session.

    ``warning_behavior`` is the API's list; ``known_ids`` the ids of the item's sessions, part of the token.
    A cancel (TaskCanceled) carries the id of the session the create made, in ``details["update_session_id"]``.
    """
    superseded = []
    for _attempt in range(MAX_CREATE_ATTEMPTS):
        token = client_token(
            scope=token_scope,
            library_item_id=library_item_id,
            warning_behavior=warning_behavior,
            existing_sessions=sorted(known_ids),
            superseded=superseded,
        )
        try:
            session_id = create_update_session(client, library_item_id, warning_behavior, token)
            session = find_update_session(client, session_id)
        except TaskCanceled as canceled:
            # The create may have been carried out though its answer never came: sent again with the same token,
            # it answers that session's id (or opens it now), for the cleanup to cancel and delete.
            try:
                canceled.details["update_session_id"] = create_update_session(client, library_item_id,
                                                                              warning_behavior, token)
            except VSphereContentError:
                pass  # the cancel is the outcome to report; vCenter expires a session nobody knows of
            raise
        if session is not None and session["state"] == ACTIVE:
            return session
        # vCenter remembered the token from an earlier session that has since finished or been
        # deleted; derive the next token from that answer, so a retry walks the same chain.
        superseded.append(session_id)
    raise UpdateSessionError(
        "vCenter answered every create for library item %s with a finished update session (%s)"
        % (library_item_id, ", ".join(superseded)),
        update_session_ids=superseded,
    )
