# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A logged-in raw HTTP client for the simulator's own tests, with short names for the file API."""

from pathlib import Path

import requests

from helpers import PASSWORD, USERNAME

LIBRARIES = "/api/content/library"
LIBRARY_ITEMS = LIBRARIES + "/item"
SESSIONS = LIBRARY_ITEMS + "/update-session"


class RawApi(requests.Session):
    """``requests`` against one simulator: paths relative to its URL, its CA trusted, the environment ignored."""

    def __init__(self, simulator):
        super().__init__()
        self.trust_env = False
        self.verify = simulator.ca_file
        self.base = simulator.url
        login = self.post(self.base + "/api/session", auth=(USERNAME, PASSWORD))
        login.raise_for_status()
        self.headers["vmware-api-session-id"] = login.json()

    def session(self, library_item_id, **body):
        """A new update session on the item; its id."""
        response = self.post(self.base + SESSIONS, json=dict(body, library_item_id=library_item_id))
        assert response.status_code == 201, response.text
        return response.json()

    def files_url(self, session_id, name=None):
        return self.base + SESSIONS + "/%s/file%s" % (session_id, "" if name is None else "/" + name)

    def add(self, session_id, name, source_type="PUSH", **spec):
        """POST .../file with an AddSpec; the response."""
        return self.post(self.files_url(session_id), json=dict(spec, name=name, source_type=source_type))

    def push(self, session_id, name, content):
        """Add ``name`` with PUSH and its size, then upload ``content`` (bytes, or a path); the file info after."""
        data = content if isinstance(content, bytes) else Path(content).read_bytes()
        added = self.add(session_id, name, size=len(data))
        assert added.status_code == 201, added.text
        assert put(added.json()["upload_endpoint"]["uri"], data, self.verify).status_code == 200
        return self.file(session_id, name)

    def file(self, session_id, name):
        response = self.get(self.files_url(session_id, name))
        assert response.status_code == 200, response.text
        return response.json()

    def validate(self, session_id):
        return self.post(self.files_url(session_id), params={"action": "validate"})

    def complete(self, session_id):
        return self.post(self.base + SESSIONS + "/" + session_id, params={"action": "complete"})

    def update_session(self, session_id):
        return self.get(self.base + SESSIONS + "/" + session_id).json()

    def item_files(self, library_item_id):
        response = self.get(self.base + "/api/content/library/item/%s/file" % library_item_id)
        assert response.status_code == 200, response.text
        return {entry["name"]: entry for entry in response.json()}


def put(uri, data, ca_file, method="PUT", **kwargs):
    """An upload as a client sends it: no session header, the simulator's CA trusted."""
    return requests.request(method, uri, data=data, verify=ca_file, **kwargs)


def error_type(response):
    return response.json()["error_type"]
