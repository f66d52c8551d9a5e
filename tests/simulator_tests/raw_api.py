# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A logged-in raw HTTP client for the simulator's own tests, with short names for the file API, and helpers for
transfers too large to hold in memory."""

import contextlib
import hashlib
import time
import tracemalloc
from pathlib import Path

import requests

from helpers import PASSWORD, USERNAME

LIBRARIES = "/api/content/library"
LIBRARY_ITEMS = LIBRARIES + "/item"
SESSIONS = LIBRARY_ITEMS + "/update-session"
DOWNLOADS = LIBRARY_ITEMS + "/download-session"


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

    # -- download sessions ---------------------------------------------------

    def downloads_url(self, session_id=None, files=False):
        """The download sessions' URL; with an id, that session's; with ``files``, its files'."""
        return self.base + DOWNLOADS + ("" if session_id is None else "/" + session_id) + ("/file" if files else "")

    def download_session(self, library_item_id, client_token=None):
        """A new download session on the item; its id."""
        response = self.post(self.downloads_url(), json={"library_item_id": library_item_id},
                             headers={"Client-Token": client_token} if client_token else {})
        assert response.status_code == 201, response.text
        return response.json()

    def prepare(self, session_id, name, endpoint_type="HTTPS"):
        return self.post(self.downloads_url(session_id, files=True), params={"action": "prepare"},
                         json={"file_name": name, "endpoint_type": endpoint_type})

    def download_file(self, session_id, name):
        """File.get of a download session's file: the response."""
        return self.get(self.downloads_url(session_id, files=True), params={"file_name": name})

    def prepared(self, session_id, name):
        """Prepare ``name`` and wait until it is PREPARED; its file info."""
        assert self.prepare(session_id, name).status_code == 200
        deadline = time.monotonic() + 5
        while True:
            info = self.download_file(session_id, name).json()
            if info["status"] == "PREPARED":
                return info
            assert info["status"] in ("PREPARE_REQUESTED", "PREPARING") and time.monotonic() < deadline, info
            time.sleep(0.01)


def put(uri, data, ca_file, method="PUT", **kwargs):
    """An upload as a client sends it: no session header, the simulator's CA trusted."""
    return requests.request(method, uri, data=data, verify=ca_file, **kwargs)


def error_type(response):
    return response.json()["error_type"]


def large_file(path, size, algorithm, block=bytes(range(256)) * 256):
    """Write ``size`` bytes (whole 64 KiB blocks) to ``path`` without holding them; their ``algorithm`` digest."""
    digest = hashlib.new(algorithm)
    with open(path, "wb") as handle:
        for _block in range(size // len(block)):
            handle.write(block)
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def memory_peak():
    """Trace allocations in the block; the dict it yields has the ``peak`` (bytes) once the block is done."""
    measured = {}
    tracemalloc.start()
    try:
        yield measured
        measured["peak"] = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
