# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The operations on API sessions and update sessions (the ``_op_*`` handlers)."""

import base64
import binascii
import copy
import secrets

from . import files as files_model
from .vapi import (
    NOT_USED_FOR_UPDATE, VapiError, created_once, invalid_argument, known, message, not_allowed, not_found,
    timestamp, utcnow,
)


class Operations:
    """The operations, mixed into the simulator: each takes the request and answers (status, body)."""

    # -- operations: /api/session ---------------------------------------------

    def _op_login(self, handler, **_):
        header = handler.headers.get("Authorization") or ""
        user = None
        if header.startswith("Basic "):
            try:
                name, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                name, password = None, None
            if name is not None and self.state.users.get(name) == password:
                user = name
        if user is None:
            raise VapiError(401, "UNAUTHENTICATED", "Authentication required.",
                            "com.vmware.vapi.endpoint.method.authentication.required")
        token = secrets.token_hex(16)
        self.state.tokens[token] = user
        self.state.issued_tokens.append(token)
        return 201, token

    def _op_session_info(self, user, **_):
        now = timestamp(utcnow())
        return 200, {"user": user, "created_time": now, "last_accessed_time": now}

    def _op_logout(self, handler, **_):
        self.state.tokens.pop(handler.headers.get("vmware-api-session-id"), None)
        return 204, None

    # -- operations: update sessions ------------------------------------------

    def _session(self, update_session_id):
        return known(self.state.update_sessions, "Update session", update_session_id)

    def _active_session(self, update_session_id, operation):
        session = self._session(update_session_id)
        if session["state"] != "ACTIVE":
            raise not_allowed(update_session_id, session["state"], operation)
        return session

    def _op_list_sessions(self, user, query, **_):
        return 200, self._listed(self.state.update_sessions, user, query)

    def _listed(self, sessions, user, query):
        """The ids of the caller's ``sessions``, only those of ``?library_item_id=`` when it is given."""
        item_id = query.get("library_item_id")
        if item_id is not None and item_id not in self.state.items:
            raise not_found("Library item", item_id)
        return [session_id for session_id, session in sessions.items()
                if session["owner"] == user and (item_id is None or session["library_item_id"] == item_id)]

    def _op_create_session(self, user, handler, body, **_):
        body = body or {}
        item_id = body.get("library_item_id")
        if not item_id:
            raise invalid_argument("library_item_id must be provided to create an update session.")
        return created_once(handler.headers, self.state.client_tokens, lambda: self._new_session(user, item_id, body))

    def _new_session(self, user, item_id, body):
        if item_id not in self.state.items:
            raise not_found("Library item", item_id)
        busy = [sid for sid, s in self.state.update_sessions.items()
                if s["library_item_id"] == item_id and s["state"] == "ACTIVE"]
        if busy:
            raise VapiError(500, "RESOURCE_BUSY",
                            "Library item '%s' already has an active update session." % item_id)
        return self.state.add_update_session(
            library_item_id=item_id, warning_behavior=body.get("warning_behavior"), owner=user,
        )

    def _op_get_session(self, update_session_id, **_):
        self._session(update_session_id)
        return 200, self.state.model(update_session_id)

    def _op_update_session(self, route, update_session_id, body, **_):
        session = self._session(update_session_id)
        body = body or {}
        unused = sorted(set(body) & set(NOT_USED_FOR_UPDATE))
        if unused:
            # vCenter ignores these, but a client that sends them misunderstands the API.
            self._violation("request", route, "fields not used for update: %s" % ", ".join(unused))
        if session["state"] != "ACTIVE":
            raise not_allowed(update_session_id, session["state"], "update")
        if body.get("warning_behavior") is not None:
            session["warning_behavior"] = copy.deepcopy(body["warning_behavior"])
            session["expiration_time"] = utcnow() + self.state.session_expiry
        return 204, None

    def _op_delete_session(self, update_session_id, **_):
        session = self._session(update_session_id)
        if session["state"] == "ACTIVE":
            raise not_allowed(update_session_id, session["state"], "delete", "cancel or complete it first")
        del self.state.update_sessions[update_session_id]
        return 204, None

    def _op_cancel_session(self, update_session_id, **_):
        self._active_session(update_session_id, "cancel")["state"] = "CANCELED"
        return 204, None

    def _op_complete_session(self, update_session_id, **_):
        session = self._active_session(update_session_id, "complete")
        if session["completion"] is None:
            result = files_model.validate(session["files"])
            if result["has_errors"]:
                problems = ["%s is missing" % name for name in result["missing_files"]] + [
                    "%s: %s" % (invalid["name"], invalid["error_message"]["default_message"])
                    for invalid in result["invalid_files"]]
                raise VapiError(400, "NOT_ALLOWED_IN_CURRENT_STATE",
                                "Cannot complete update session '%s': %s" % (update_session_id, "; ".join(problems)))
        self.state.begin_completion(update_session_id)
        return 204, None

    def _op_fail_session(self, update_session_id, body, **_):
        session = self._active_session(update_session_id, "fail")
        session["state"] = "ERROR"
        session["error_message"] = message(
            "com.vmware.content.updatesession.ClientError", body["client_error_message"], body["client_error_message"]
        )
        return 204, None

    def _op_keep_alive_session(self, update_session_id, body, **_):
        session = self._active_session(update_session_id, "keep alive")
        progress = (body or {}).get("client_progress")
        if progress is not None:
            if not session["client_progress"] < progress <= 100:
                raise invalid_argument("client_progress must be greater than %d and at most 100."
                                       % session["client_progress"])
            session["client_progress"] = progress
        session["expiration_time"] = utcnow() + self.state.session_expiry
        return 204, None
