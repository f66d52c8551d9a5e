# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The routes the simulator serves: method, path pattern, operation handler and the spec path that describes it."""

import re
from urllib.parse import quote

from .vapi import UPDATE_SESSIONS

LIBRARIES = "/api/content/library"
LIBRARY_ITEMS = "/api/content/library/item"
DOWNLOAD_SESSIONS = LIBRARY_ITEMS + "/download-session"
# Where PUSH uploads go and prepared downloads come from; not part of the API, so not in the spec.
UPLOAD_PREFIX = "/cls/data/"
# The bindings' names of the operations (interface.operation), as wire.py looks them up.
CIS_SESSION = "com.vmware.cis.session."
LIBRARY = "com.vmware.content.library."
ITEM = LIBRARY + "item."
UPDATE_SESSION = ITEM + "update_session."
SESSION_FILE = ITEM + "updatesession.file."
ITEM_FILE = ITEM + "file."
DOWNLOAD_SESSION = ITEM + "download_session."
DOWNLOAD_FILE = ITEM + "downloadsession.file."


def transfer_uri(origin, token, file_name):
    """An upload or download URI: the token is the credential, the name only says what it is."""
    return "%s%s%s/%s" % (origin, UPLOAD_PREFIX, token, quote(file_name, safe=""))


class Route:
    """One operation, and its name in VMware's bindings. ``action`` must equal the request's ``?action=``;
    ``query_key`` must be in its query."""

    def __init__(self, method, pattern, handler, spec_path, operation, action=None, authenticated=True,
                 query_key=None):
        self.method = method
        self.pattern = re.compile("^%s$" % pattern)
        self.handler = handler
        self.spec_path = spec_path
        self.operation = operation
        self.action = action
        self.authenticated = authenticated
        self.query_key = query_key

    def accepts(self, method, query):
        return (self.method == method and self.action == query.get("action")
                and (self.query_key is None or self.query_key in query))


def _actions(pattern, spec_path, handler_format, operations, actions):
    """POST ``?action=`` routes on one session: handler and operation named after the action."""
    return [Route("POST", pattern, handler_format % action.replace("-", "_"), "%s?action=%s" % (spec_path, action),
                  operations + action.replace("-", "_"), action=action) for action in actions]


def _routes():
    one = UPDATE_SESSIONS + "/(?P<update_session_id>[^/]+)"
    one_spec = UPDATE_SESSIONS + "/{update_session_id}"
    item = LIBRARY_ITEMS + "/(?P<library_item_id>[^/]+)"
    item_spec = LIBRARY_ITEMS + "/{library_item_id}"
    item_files, item_files_spec = item + "/file", item_spec + "/file"
    routes = [
        Route("POST", "/api/session", "login", "/api/session", CIS_SESSION + "create", authenticated=False),
        Route("GET", "/api/session", "session_info", "/api/session", CIS_SESSION + "get"),
        Route("DELETE", "/api/session", "logout", "/api/session", CIS_SESSION + "delete"),
        Route("GET", UPDATE_SESSIONS, "list_sessions", UPDATE_SESSIONS, UPDATE_SESSION + "list"),
        Route("POST", UPDATE_SESSIONS, "create_session", UPDATE_SESSIONS, UPDATE_SESSION + "create"),
        Route("GET", one, "get_session", one_spec, UPDATE_SESSION + "get"),
        Route("PATCH", one, "update_session", one_spec, UPDATE_SESSION + "update"),
        Route("DELETE", one, "delete_session", one_spec, UPDATE_SESSION + "delete"),
    ]
    routes += _actions(one, one_spec, "%s_session", UPDATE_SESSION, ("cancel", "complete", "fail", "keep-alive"))
    routes += [
        Route("POST", one + "/file", "add_file", one_spec + "/file", SESSION_FILE + "add"),
        Route("GET", one + "/file", "list_files", one_spec + "/file", SESSION_FILE + "list"),
        Route("GET", one + "/file/(?P<file_name>[^/]+)", "get_file", one_spec + "/file/{file_name}",
              SESSION_FILE + "get"),
        Route("DELETE", one + "/file/(?P<file_name>[^/]+)", "remove_file", one_spec + "/file/{file_name}",
              SESSION_FILE + "remove"),
        Route("POST", one + "/file", "validate_files", one_spec + "/file?action=validate", SESSION_FILE + "validate",
              action="validate"),
        Route("GET", item_files, "get_item_file", item_files_spec + "?name", ITEM_FILE + "get", query_key="name"),
        Route("GET", item_files, "list_item_files", item_files_spec, ITEM_FILE + "list"),
        Route("POST", LIBRARIES, "find_libraries", LIBRARIES + "?action=find", LIBRARY + "find", action="find"),
        Route("POST", LIBRARY_ITEMS, "find_items", LIBRARY_ITEMS + "?action=find", ITEM + "find", action="find"),
        Route("POST", LIBRARY_ITEMS, "create_item", LIBRARY_ITEMS, ITEM + "create"),
    ]
    routes += _download_routes()
    routes += [
        # After the update- and download-session routes, whose paths this pattern also matches.
        Route("POST", LIBRARY_ITEMS + "/(?P<source_library_item_id>[^/]+)", "copy_item",
              LIBRARY_ITEMS + "/{source_library_item_id}?action=copy", ITEM + "copy", action="copy"),
        Route("GET", item, "get_item", item_spec, ITEM + "get"),
        Route("PATCH", item, "update_item", item_spec, ITEM + "update"),
        Route("DELETE", item, "delete_item", item_spec, ITEM + "delete"),
        Route("GET", LIBRARIES, "list_libraries", LIBRARIES, LIBRARY + "list"),
        # "item" is the items' collection, not a library id.
        Route("GET", LIBRARIES + "/(?P<library_id>(?!item$)[^/]+)", "get_library", LIBRARIES + "/{library_id}",
              LIBRARY + "get"),
    ]
    return routes


def _download_routes():
    one = DOWNLOAD_SESSIONS + "/(?P<download_session_id>[^/]+)"
    one_spec = DOWNLOAD_SESSIONS + "/{download_session_id}"
    routes = [
        Route("GET", DOWNLOAD_SESSIONS, "list_download_sessions", DOWNLOAD_SESSIONS, DOWNLOAD_SESSION + "list"),
        Route("POST", DOWNLOAD_SESSIONS, "create_download_session", DOWNLOAD_SESSIONS, DOWNLOAD_SESSION + "create"),
        Route("GET", one, "get_download_session", one_spec, DOWNLOAD_SESSION + "get"),
        Route("DELETE", one, "delete_download_session", one_spec, DOWNLOAD_SESSION + "delete"),
    ]
    routes += _actions(one, one_spec, "%s_download_session", DOWNLOAD_SESSION, ("cancel", "fail", "keep-alive"))
    return routes + [
        Route("GET", one + "/file", "get_download_file", one_spec + "/file?file_name", DOWNLOAD_FILE + "get",
              query_key="file_name"),
        Route("GET", one + "/file", "list_download_files", one_spec + "/file", DOWNLOAD_FILE + "list"),
        Route("POST", one + "/file", "prepare_download_file", one_spec + "/file?action=prepare",
              DOWNLOAD_FILE + "prepare", action="prepare"),
    ]


ROUTES = _routes()
