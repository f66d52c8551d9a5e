# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The upload endpoint ``/cls/data/<token>/<name>``: where PUSH clients PUT (or POST) a file's bytes.

A GET of that prefix is a download (download.py); other methods answer 405.

Not part of the API and not in the spec. The URI is the credential: no session header is needed (the
log records whether one came). The body needs a Content-Length, is streamed to disk while hashed, and
is checked against the add's size and checksum: 200 without a body, or 400 with a vAPI error body and
the file in ERROR. Faults on the path: ``reset_after`` (cut the connection after that many body
bytes), ``status`` (answer it without storing anything), ``stall`` (stop reading for that many seconds
after ``stall_after`` bytes), and the generic ``delay``, ``drop`` and ``drop_after``.
"""

import json
import time

from .httpd import hang_up, send
from .transfer import CHUNK_SIZE, Transfer
from .vapi import VapiError, not_found

LINGER_SECONDS = 1.0


class UploadEndpoint:
    """Mixed into the simulator: ``_upload(handler, method, entry, fault)`` serves one upload request."""

    def _upload(self, handler, method, entry, fault):
        token, _sep, _name = entry["path"][len("/cls/data/"):].partition("/")
        if fault is not None and fault.delay:
            self._stopping.wait(fault.delay)
        if fault is not None and fault.drop:
            hang_up(handler, entry, "dropped")
            return
        length = handler.headers.get("Content-Length")
        try:
            if method not in ("PUT", "POST"):
                raise VapiError(405, "INVALID_REQUEST", "Upload with PUT or POST, not %s." % method)
            if length is None or not length.isdigit():
                raise VapiError(411, "INVALID_REQUEST", "An upload needs a Content-Length.")
            session, record = self._upload_target(token, entry)
        except VapiError as error:
            self._upload_answer(handler, entry, error.status, error.body, close=True)
            return
        length = int(length)
        if fault is not None and fault.status is not None and not fault.drop_after:
            self._drain(handler, length)  # read and thrown away, so the client sees the answer
            entry["status"] = fault.status
            body = fault.body(handler.headers) if callable(fault.body) else fault.body
            send(handler, fault.status, body.encode() if isinstance(body, str) else body, fault.content_type,
                 fault.headers)
            return
        transfer = Transfer(self.state, session, record)
        if not self._receive(handler, transfer, length, entry, fault):
            return
        error = transfer.finish()
        if fault is not None and fault.drop_after:  # stored, but the answer is lost
            hang_up(handler, entry, "dropped after %d" % (200 if error is None else 400))
        elif error is None:
            self._upload_answer(handler, entry, 200, None)
        else:
            self._upload_answer(handler, entry, 400, {"error_type": "INVALID_ARGUMENT", "messages": [error]})

    def _upload_target(self, token, entry):
        if self.upload_port != "same" and entry["server"] != "upload":
            raise VapiError(404, "NOT_FOUND", "Uploads go to the upload port, %d." % self.upload_server_port)
        self.state.refresh()  # an expired session takes no upload
        with self.state.lock:
            session_id, record = self.state.upload_tokens.get(token, (None, None))
            session = self.state.update_sessions.get(session_id)
            if session is None or session["files"].get(record["name"]) is not record:
                # A name added again (or removed) gets a new endpoint (or none); the old one is gone.
                raise not_found("Upload endpoint", entry["path"])
            if session["state"] != "ACTIVE":
                raise VapiError(400, "NOT_ALLOWED_IN_CURRENT_STATE",
                                "Update session '%s' is %s; it takes no more content." % (session_id, session["state"]))
            entry["path_params"] = {"update_session_id": session_id, "file_name": record["name"]}
            return session, record

    def _receive(self, handler, transfer, length, entry, fault):
        """Stream the body into ``transfer``; False when the connection broke (or was cut) first."""
        reset_after = fault.reset_after if fault is not None else None
        stall_at = fault.stall_after if fault is not None and fault.stall else None
        while transfer.received < length:
            if reset_after is not None and transfer.received >= reset_after:
                transfer.interrupted(length)
                hang_up(handler, entry, "reset after %d bytes" % transfer.received, reset=True)
                return False
            if stall_at is not None and transfer.received >= stall_at:
                stall_at = None
                self._stopping.wait(fault.stall)
            # Up to the next point where a fault acts, so that it acts at exactly that byte.
            want = min(limit for limit in (length, reset_after, stall_at) if limit is not None) - transfer.received
            try:
                chunk = handler.rfile.read1(min(CHUNK_SIZE, want))
            except OSError:
                chunk = b""
            if not chunk:
                transfer.interrupted(length)
                entry["status"] = "client hung up after %d bytes" % transfer.received
                handler.close_connection = True
                return False
            transfer.write(chunk)
            entry["bytes_received"] = transfer.received
        return True

    @staticmethod
    def _drain(handler, length):
        while length > 0:
            chunk = handler.rfile.read1(min(CHUNK_SIZE, length))
            if not chunk:
                break
            length -= len(chunk)

    @staticmethod
    def _upload_answer(handler, entry, status, body, close=False):
        entry["status"] = status
        payload = b"" if body is None else json.dumps(body).encode()
        send(handler, status, payload, "application/json" if payload else None,
             {"Connection": "close"} if close else {})
        if close:
            # The body was not read, so the connection cannot carry another request. Read what the
            # client still sends for a moment before closing, or it may get a reset instead of the answer.
            handler.close_connection = True
            handler.wfile.flush()
            handler.connection.settimeout(LINGER_SECONDS)
            deadline = time.monotonic() + LINGER_SECONDS
            try:
                while time.monotonic() < deadline and handler.rfile.read1(CHUNK_SIZE):
                    pass
            except OSError:
                pass
