# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Download sessions: their records, the time that moves a prepare on, and the views the API answers.

A download session reads one library item; each of the item's files has a record there. A prepare moves it
from UNPREPARED through PREPARE_REQUESTED (the first half of the item's ``prepare_delay``) and PREPARING (the
second half) to PREPARED, with a download URI and its size; or to ERROR when the item names the file in
``prepare_errors``, or when the simulator keeps no content for it. ``bytes_transferred`` counts what the
download endpoint (download.py) has served from the file's start without a gap; ``checksum_info`` is set once
all of it has been served. An idle ACTIVE session expires and is deleted, as an update session is.
"""

import copy
import datetime
import secrets
import uuid

from .routes import transfer_uri
from .vapi import message, session_model, utcnow

MOVING = ("PREPARE_REQUESTED", "PREPARING")
# A prepare asked for again while one of these holds changes nothing.
UNDER_WAY = MOVING + ("PREPARED",)


def download_file(name):
    """A download session's record of one item file, before any prepare."""
    return {"name": name, "status": "UNPREPARED", "bytes_transferred": 0, "size": None, "sha1": None,
            "checksum_info": None, "error_message": None, "token": None, "uri": None, "path": None,
            "preparing_at": None, "prepared_at": None, "prepare_error": None}


def download_file_info(record):
    """ContentLibraryItemDownloadsessionFileInfo: endpoint and size once PREPARED, the checksum once served."""
    info = {key: record[key] for key in ("name", "bytes_transferred", "status")}
    if record["status"] == "PREPARED":
        info["size"] = record["size"]
        info["download_endpoint"] = {"uri": record["uri"]}
    if record["checksum_info"]:
        info["checksum_info"] = dict(record["checksum_info"])
    if record["status"] == "ERROR" and record["error_message"]:
        info["error_message"] = copy.deepcopy(record["error_message"])
    return info


class DownloadState:
    """Mixed into SimulatorState: ``download_sessions``, ``download_client_tokens`` and ``download_tokens``
    ({token: (session id, file name)} of every PREPARED file), changed under its lock."""

    def add_download_session(self, session_id=None, library_item_id=None, state="ACTIVE", client_progress=0,
                             owner=None, error_message=None):
        """A download session on the item (on a new item if it names none); its files UNPREPARED."""
        session_id = session_id or str(uuid.uuid4())
        with self.lock:
            if library_item_id is None or library_item_id not in self.items:
                library_item_id = self.add_library_item(library_item_id)
            item = self.items[library_item_id]
            self.download_sessions[session_id] = {
                "library_item_id": library_item_id,
                "library_item_content_version": item["content_version"],
                "state": state,
                "client_progress": client_progress,
                "expiration_time": utcnow() + self.session_expiry,
                "error_message": error_message,
                "owner": owner or next(iter(self.users)),
                "files": {name: download_file(name) for name in item["files"]},
            }
        return session_id

    def delete_download_session(self, session_id):
        """The session goes, and its download URIs with it; a stream of one still running is cut."""
        with self.lock:
            session = self.download_sessions.pop(session_id)
            for record in session["files"].values():
                self.download_tokens.pop(record["token"], None)

    def request_prepare(self, session, record, origin):
        """PREPARE_REQUESTED from now; what the item holds for the file now is what will be served."""
        item = self.items[session["library_item_id"]]
        stored = item["files"].get(record["name"]) or {}
        now = utcnow()
        delay = datetime.timedelta(seconds=item["prepare_delay"])
        self.download_tokens.pop(record["token"], None)
        token = secrets.token_urlsafe(18)
        record.update(status="PREPARE_REQUESTED", preparing_at=now + delay / 2, prepared_at=now + delay,
                      token=token, uri=transfer_uri(origin, token, record["name"]), path=stored.get("path"),
                      size=stored.get("size"), sha1=(stored.get("checksum_info") or {}).get("checksum"),
                      prepare_error=item["prepare_errors"].get(record["name"]), error_message=None,
                      bytes_transferred=0, checksum_info=None)
        session["expiration_time"] = now + self.session_expiry

    def refresh_downloads(self, now):
        """Delete expired ACTIVE sessions; move the prepares of the others on (call under the lock)."""
        for session_id, session in list(self.download_sessions.items()):
            if session["state"] != "ACTIVE":
                continue
            if now > session["expiration_time"]:
                self.delete_download_session(session_id)
                continue
            for record in session["files"].values():
                if record["status"] in MOVING and now >= record["preparing_at"]:
                    self._move_prepare(session_id, record, now)

    def _move_prepare(self, session_id, record, now):
        name = record["name"]
        if now < record["prepared_at"]:
            record["status"] = "PREPARING"
        elif record["prepare_error"] is not None:
            record.update(status="ERROR", error_message=message(
                "com.vmware.content.downloadsession.file.PrepareFailed", record["prepare_error"], name))
        elif record["path"] is None:
            record.update(status="ERROR", error_message=message(
                "com.vmware.content.downloadsession.file.ContentNotStored",
                "The content of %s is not stored." % name, name))
        else:
            record["status"] = "PREPARED"
            self.download_tokens[record["token"]] = (session_id, name)

    def count_served(self, session_id, record, token, start, end):
        """The endpoint sends the file's bytes ``start`` to ``end``: ``bytes_transferred`` grows when they follow on
        from what was served, the checksum shows once all has been, and the session stays alive. False when the
        stream must be cut: the session is gone or no longer ACTIVE."""
        with self.lock:
            session = self.download_sessions.get(session_id)
            if session is None or session["state"] != "ACTIVE" or record["token"] != token:
                return False
            if start <= record["bytes_transferred"] < end:
                record["bytes_transferred"] = end
            if record["bytes_transferred"] >= record["size"] and record["checksum_info"] is None:
                record["checksum_info"] = {"algorithm": "SHA1", "checksum": record["sha1"]}
            session["expiration_time"] = utcnow() + self.session_expiry
            return True

    def download_model(self, session_id):
        """The DownloadSessionModel as GET answers it."""
        return session_model(self.download_sessions[session_id])
