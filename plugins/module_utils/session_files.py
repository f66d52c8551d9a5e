# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The API calls of an update session's files: add, list, get, remove and validate.

Only calls here; the decisions are in ``file_plans`` and the sequencing in ``file_transfer``.
"""

from ansible_collections.vsphere.content.plugins.module_utils.errors import ApiError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import api_path

UPDATE_SESSIONS = "/api/content/library/item/update-session"


def _files_path(session_id, *names):
    return api_path(api_path(UPDATE_SESSIONS, session_id) + "/file", *names)


def add_file(client, session_id, spec):
    """POST an AddSpec; vCenter answers the new File.Info. Adding a name again replaces that file."""
    return client.request(
        "POST", _files_path(session_id), "add file %s to update session %s" % (spec["name"], session_id), body=spec
    )


def list_files(client, session_id):
    return client.request("GET", _files_path(session_id), "list the files of update session %s" % session_id) or []


def find_file(client, session_id, name):
    """The File.Info of ``name``, or None when the session has no such file.

    vCenter answers an unknown file name with 400 INVALID_ARGUMENT, not 404; 404 means the session is unknown.
    """
    try:
        return client.request(
            "GET", _files_path(session_id, name), "get file %s of update session %s" % (name, session_id)
        )
    except ApiError as exc:
        if exc.status == 400 and exc.error_type == "INVALID_ARGUMENT":
            return None
        raise


def remove_file(client, session_id, name):
    client.request(
        "DELETE", _files_path(session_id, name), "remove file %s from update session %s" % (name, session_id)
    )


def validate_files(client, session_id):
    """The ValidationResult: ``has_errors``, ``missing_files`` and ``invalid_files``."""
    return client.request(
        "POST", _files_path(session_id), "validate the files of update session %s" % session_id,
        params={"action": "validate"},
    )
