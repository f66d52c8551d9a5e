# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The operations on download sessions and their files (the ``_op_*`` handlers)."""

from .download_state import UNDER_WAY, download_file_info
from .vapi import VapiError, created_once, invalid_argument, known, message, not_allowed, utcnow


class DownloadOperations:
    """Mixed into the simulator next to ``Operations``; the same (status, body) contract."""

    def _download_session(self, download_session_id):
        return known(self.state.download_sessions, "Download session", download_session_id)

    def _active_download_session(self, download_session_id, operation):
        session = self._download_session(download_session_id)
        if session["state"] != "ACTIVE":
            raise not_allowed(download_session_id, session["state"], operation, kind="download session")
        return session

    def _download_file(self, session, download_session_id, file_name):
        if file_name not in session["files"]:
            # As for an update session's files, the spec's answer is 400 InvalidArgument, not 404.
            raise invalid_argument("The download session '%s' has no file named '%s'."
                                   % (download_session_id, file_name))
        return session["files"][file_name]

    def _op_list_download_sessions(self, user, query, **_):
        return 200, self._listed(self.state.download_sessions, user, query)

    def _op_create_download_session(self, user, handler, body, **_):
        item_id = (body or {}).get("library_item_id")
        if not item_id:
            raise invalid_argument("library_item_id must be provided to create a download session.")
        return created_once(handler.headers, self.state.download_client_tokens,
                            lambda: self._new_download_session(user, item_id))

    def _new_download_session(self, user, item_id):
        self._library_item(item_id)  # 404 for an unknown item
        return self.state.add_download_session(library_item_id=item_id, owner=user)

    def _op_get_download_session(self, download_session_id, **_):
        self._download_session(download_session_id)
        return 200, self.state.download_model(download_session_id)

    def _op_delete_download_session(self, download_session_id, **_):
        self._download_session(download_session_id)
        self.state.delete_download_session(download_session_id)
        return 204, None

    def _op_cancel_download_session(self, download_session_id, **_):
        self._active_download_session(download_session_id, "cancel")["state"] = "CANCELED"
        return 204, None

    def _op_fail_download_session(self, download_session_id, body, **_):
        session = self._active_download_session(download_session_id, "fail")
        session["state"] = "ERROR"
        session["error_message"] = message("com.vmware.content.downloadsession.ClientError",
                                           body["client_error_message"], body["client_error_message"])
        return 204, None

    def _op_keep_alive_download_session(self, download_session_id, body, **_):
        session = self._active_download_session(download_session_id, "keep alive")
        progress = (body or {}).get("progress")  # not the update session's client_progress
        if progress is not None:
            if not session["client_progress"] < progress <= 100:
                raise invalid_argument("progress must be greater than %d and at most 100." % session["client_progress"])
            session["client_progress"] = progress
        session["expiration_time"] = utcnow() + self.state.session_expiry
        return 204, None

    def _op_list_download_files(self, download_session_id, **_):
        session = self._download_session(download_session_id)
        return 200, [download_file_info(record) for record in session["files"].values()]

    def _op_get_download_file(self, download_session_id, query, **_):
        session = self._download_session(download_session_id)
        return 200, download_file_info(self._download_file(session, download_session_id, query["file_name"]))

    def _op_prepare_download_file(self, download_session_id, body, **_):
        session = self._active_download_session(download_session_id, "prepare a file of")
        record = self._download_file(session, download_session_id, body["file_name"])
        if body.get("endpoint_type") == "DIRECT":
            # "only available to users who have the ContentLibrary.ReadStorage privilege": none here has it.
            raise VapiError(403, "UNAUTHORIZED", "A DIRECT endpoint needs the ContentLibrary.ReadStorage privilege.")
        if record["status"] not in UNDER_WAY:
            self.state.request_prepare(session, record, self.upload_url)
        return 200, download_file_info(record)
