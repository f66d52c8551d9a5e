# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The file operations: an update session's files (add, list, get, remove, validate) and a library item's files."""

import os
import secrets

from . import files as files_model
from .pull import start_pull
from .routes import transfer_uri
from .vapi import VapiError, invalid_argument, known, not_found, utcnow


def unknown_file(update_session_id, file_name):
    # The spec's answer for a file the session does not have: 400 InvalidArgument, not 404.
    return invalid_argument("The update session '%s' has no file named '%s'." % (update_session_id, file_name))


class FileOperations:
    """Mixed into the simulator next to ``Operations``; the same (status, body) contract."""

    def _session_file(self, update_session_id, file_name):
        session = self._session(update_session_id)
        if file_name not in session["files"]:
            raise unknown_file(update_session_id, file_name)
        return session, session["files"][file_name]

    def _file_info(self, session, record):
        return files_model.file_info(self.state.items[session["library_item_id"]], record)

    def _op_add_file(self, update_session_id, body, **_):
        session = self._active_session(update_session_id, "add a file to")
        spec = body or {}
        if not spec:
            raise invalid_argument("A file specification is required.")
        name, source_type = spec["name"], spec["source_type"]
        item = self.state.items[session["library_item_id"]]
        if not name:
            raise invalid_argument("The file name must not be empty.")
        if spec.get("size") is not None and spec["size"] < 0:
            raise invalid_argument("The size of %s must not be negative." % name)
        if item["type"] == "ovf" and files_model.is_metadata(item, name) and any(
                other["source_type"] != "NONE" and other["name"].lower().endswith(".ovf")
                for other in session["files"].values()):
            raise VapiError(400, "NOT_ALLOWED_IN_CURRENT_STATE",
                            "The manifest and certificate of an OVF package must be added before its OVF descriptor; "
                            "%s comes after it in update session '%s'." % (name, update_session_id))
        if source_type == "NONE":
            if name not in item["files"]:
                raise invalid_argument("The library item has no file named '%s' to keep unchanged." % name)
            record = files_model.unchanged_file(item["files"][name])
        elif source_type == "PULL" and not (spec.get("source_endpoint") or {}).get("uri"):
            raise invalid_argument("A PULL of %s needs a source_endpoint with a uri." % name)
        else:
            record = files_model.session_file(name, source_type, spec.get("size"), spec.get("checksum_info"),
                                              spec.get("source_endpoint") if source_type == "PULL" else None)
        self._forget_file(session, name)
        session["files"][name] = record
        session["expiration_time"] = utcnow() + self.state.session_expiry
        if source_type == "PUSH":
            record["token"] = secrets.token_urlsafe(18)
            record["upload_uri"] = transfer_uri(self.upload_url, record["token"], name)
            self.state.upload_tokens[record["token"]] = (update_session_id, record)
        elif source_type == "PULL":
            start_pull(self.state, session, record, self.trusted_source_cas, self._stopping)
        return 201, self._file_info(session, record)

    def _forget_file(self, session, name):
        """Drop the session's record of ``name``: its upload endpoint and any content received for it."""
        record = session["files"].pop(name, None)
        if record is None or record["source_type"] == "NONE":
            return  # an item's own content stays
        self.state.upload_tokens.pop(record["token"], None)
        if record["path"]:
            try:
                os.unlink(record["path"])
            except OSError:
                pass

    def _op_list_files(self, update_session_id, **_):
        session = self._session(update_session_id)
        return 200, [self._file_info(session, record) for record in session["files"].values()]

    def _op_get_file(self, update_session_id, file_name, **_):
        session, record = self._session_file(update_session_id, file_name)
        return 200, self._file_info(session, record)

    def _op_remove_file(self, update_session_id, file_name, **_):
        session, _record = self._session_file(update_session_id, file_name)
        if session["state"] != "ACTIVE":
            raise VapiError(400, "NOT_ALLOWED_IN_CURRENT_STATE",
                            "Cannot remove a file from update session '%s' in state %s; it must be ACTIVE."
                            % (update_session_id, session["state"]))
        self._forget_file(session, file_name)
        session["expiration_time"] = utcnow() + self.state.session_expiry
        return 204, None

    def _op_validate_files(self, update_session_id, **_):
        session = self._active_session(update_session_id, "validate the files of")
        return 200, files_model.validate(session["files"])

    def _library_item(self, library_item_id):
        return known(self.state.items, "Library item", library_item_id)

    def _op_list_item_files(self, library_item_id, **_):
        item = self._library_item(library_item_id)
        return 200, [files_model.item_file_info(record) for record in item["files"].values()]

    def _op_get_item_file(self, library_item_id, query, **_):
        item = self._library_item(library_item_id)
        if query["name"] not in item["files"]:
            raise not_found("File", query["name"])
        return 200, files_model.item_file_info(item["files"][query["name"]])
