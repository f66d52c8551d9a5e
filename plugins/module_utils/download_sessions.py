# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The API calls of download sessions and their files (``/api/content/library/item/download-session``).

Only calls here; ``item_download`` and ``file_download`` sequence them. A download session has no DONE: it
ends when it is deleted.
"""

from ansible_collections.vsphere.content.plugins.module_utils.errors import ApiError, TaskCanceled, VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import api_path

DOWNLOAD_SESSIONS = "/api/content/library/item/download-session"


def create_download_session(client, library_item_id, token):
    """A new download session on the item; its ``Client-Token`` makes a resent create answer the same session."""
    return client.request("POST", DOWNLOAD_SESSIONS, "create a download session for library item %s" % library_item_id,
                          body={"library_item_id": library_item_id}, client_token=token)


def open_download_session(client, library_item_id, token):
    """``create_download_session``. A cancel (TaskCanceled) while the create is under way carries the id of the
    session it made in ``details["download_session_id"]``: the create may have been carried out though its answer
    never came, and sent again with the same token it answers that session (or opens it now), for the caller to
    delete."""
    try:
        return create_download_session(client, library_item_id, token)
    except TaskCanceled as canceled:
        try:
            canceled.details["download_session_id"] = create_download_session(client, library_item_id, token)
        except VSphereContentError:
            pass  # the cancel is the outcome to report; vCenter expires a session nobody knows of
        raise


def delete_download_session(client, session_id):
    """DELETE the session, in whatever state; one that is gone already meets the goal."""
    try:
        client.request("DELETE", api_path(DOWNLOAD_SESSIONS, session_id), "delete download session %s" % session_id)
    except ApiError as exc:
        if not exc.is_not_found:
            raise


def keep_alive(client, session_id, progress=None):
    """Keep the session from expiring; ``progress`` (whole percent) must be more than vCenter has."""
    client.request("POST", api_path(DOWNLOAD_SESSIONS, session_id), "keep download session %s alive" % session_id,
                   params={"action": "keep-alive"}, body={"progress": progress} if progress is not None else None)


def prepare_file(client, session_id, name):
    """Ask vCenter to prepare ``name`` for an HTTPS download; its File.Info (not yet PREPARED, as a rule)."""
    return client.request("POST", api_path(DOWNLOAD_SESSIONS, session_id) + "/file",
                          "prepare %s for download" % name, params={"action": "prepare"},
                          body={"file_name": name, "endpoint_type": "HTTPS"})


def get_file(client, session_id, name):
    return client.request("GET", api_path(DOWNLOAD_SESSIONS, session_id) + "/file",
                          "get file %s of download session %s" % (name, session_id), params={"file_name": name})
