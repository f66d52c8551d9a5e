# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The download endpoint: ``GET /cls/data/<token>/<name>`` serves a PREPARED file of an ACTIVE download session.

Not part of the API and not in the spec. It shares the upload endpoint's prefix and server (the API's port, or
the upload port when ``upload_port`` is not "same"). The URI is the credential: no session header is needed (the
log records whether one came). The content is streamed from disk in 1 MiB chunks, with Content-Length and
``Accept-Ranges: bytes``. ``Range: bytes=N-`` (only that form) answers 206 from N, or 416 when N is not before
the end; any other Range is ignored (200, the whole file). The log entry of each GET has ``range`` (the header
or None), ``status`` and ``bytes_sent``. A stream whose session is deleted, or leaves ACTIVE, is cut.

Faults on the path (``method="GET"``): ``reset_after`` (a hard reset after that many body bytes), ``status``
(that answer instead of the content), ``stall`` (stop sending for that many seconds after ``stall_after`` body
bytes), ``corrupt_at`` (flip the byte at that file offset in what is sent), ``ignore_range`` (200 and the whole
file, whatever Range says), and the generic ``delay`` and ``drop``.
"""

import json
import re
from urllib.parse import unquote

from .faults import apply_fault
from .httpd import hang_up, send, wait_sent
from .manifest import file_digest
from .routes import UPLOAD_PREFIX
from .transfer import CHUNK_SIZE
from .vapi import VapiError, not_found

OPEN_RANGE = re.compile(r"^bytes=(\d+)-$")


def range_start(header):
    """N of ``bytes=N-``; None without a Range or with any other form, both answered with the whole file."""
    match = OPEN_RANGE.match((header or "").replace(" ", ""))
    return int(match.group(1)) if match else None


def corrupted(chunk, offset, corrupt_at):
    """``chunk`` (the file's bytes from ``offset``) with the byte at file offset ``corrupt_at`` flipped."""
    if corrupt_at is None or not offset <= corrupt_at < offset + len(chunk):
        return chunk
    changed = bytearray(chunk)
    changed[corrupt_at - offset] ^= 0xFF
    return bytes(changed)


class DownloadEndpoint:
    """Mixed into the simulator: ``_download(handler, entry, fault)`` serves one GET of a download URI."""

    def _download(self, handler, entry, fault):
        token, _sep, name = entry["path"][len(UPLOAD_PREFIX):].partition("/")
        entry.update(range=handler.headers.get("Range"), bytes_sent=0)
        if fault is not None and apply_fault(self.state, handler, fault, entry):
            return
        try:
            session_id, record = self._download_target(token, unquote(name), entry)
        except VapiError as error:
            self._download_error(handler, entry, error)
            return
        size = record["size"]
        start = None if fault is not None and fault.ignore_range else range_start(entry["range"])
        if start is not None and start >= size:
            self._download_error(handler, entry, VapiError(
                416, "INVALID_ARGUMENT", "The range %s starts at or after the end of %s (%d bytes)."
                % (entry["range"], record["name"], size)), {"Content-Range": "bytes */%d" % size})
            return
        if record["sha1"] is None:  # content seeded by path alone: the checksum it will report once served
            sha1 = file_digest(record["path"], "SHA1")
            with self.state.lock:
                record["sha1"] = sha1
        entry["status"] = 200 if start is None else 206
        handler.send_response(entry["status"])
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(size - (start or 0)))
        handler.send_header("Accept-Ranges", "bytes")
        if start is not None:
            handler.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
        handler.end_headers()
        self._stream(handler, entry, fault, session_id, record, start or 0)

    def _download_target(self, token, name, entry):
        """(session id, file record) of a live download URI, else the VapiError to answer."""
        if self.upload_port != "same" and entry["server"] != "upload":
            raise VapiError(404, "NOT_FOUND", "Downloads come from the upload port, %d." % self.upload_server_port)
        self.state.refresh()  # an expired session serves nothing, a prepare may just have finished
        with self.state.lock:
            session_id, file_name = self.state.download_tokens.get(token, (None, None))
            session = self.state.download_sessions.get(session_id)
            if session is None or file_name != name:
                raise not_found("Download endpoint", entry["path"])
            entry["path_params"] = {"download_session_id": session_id, "file_name": name}
            record = session["files"][name]
            if session["state"] != "ACTIVE" or record["status"] != "PREPARED":
                raise VapiError(400, "NOT_ALLOWED_IN_CURRENT_STATE",
                                "Download session '%s' is %s and its file %s %s; nothing is served."
                                % (session_id, session["state"], name, record["status"]))
            return session_id, record

    def _stream(self, handler, entry, fault, session_id, record, start):
        """Send the file from ``start`` to its end, acting out the fault's stream faults at exactly their byte."""
        reset_after = fault.reset_after if fault is not None else None
        stall_at = fault.stall_after if fault is not None and fault.stall else None
        corrupt_at = fault.corrupt_at if fault is not None else None
        token, size, offset = record["token"], record["size"], start
        with open(record["path"], "rb") as source:
            source.seek(start)
            while True:
                sent = offset - start
                if offset < size and reset_after is not None and sent >= reset_after:
                    wait_sent(handler)  # else the reset throws away bytes still queued
                    hang_up(handler, entry, "reset after %d bytes" % sent, reset=True)
                    return
                if offset < size and stall_at is not None and sent >= stall_at:
                    stall_at = None
                    if self._stopping.wait(fault.stall):
                        hang_up(handler, entry, "stopped after %d bytes" % sent)
                        return
                want = min([size - offset, CHUNK_SIZE] + [limit - sent for limit in (reset_after, stall_at)
                                                          if limit is not None and limit > sent])
                chunk = corrupted(source.read(want), offset, corrupt_at)
                # Counted before it goes out: a client that has it all may look at once.
                if not self.state.count_served(session_id, record, token, offset, offset + len(chunk)):
                    hang_up(handler, entry, "cut after %d bytes: the session ended" % sent, reset=True)
                    return
                if not chunk:
                    if offset < size:
                        hang_up(handler, entry, "the content ended after %d bytes" % sent, reset=True)
                    return
                entry["bytes_sent"] = sent + len(chunk)
                try:
                    handler.wfile.write(chunk)
                except OSError:
                    entry["status"] = "client hung up after %d bytes" % sent
                    handler.close_connection = True
                    return
                offset += len(chunk)

    @staticmethod
    def _download_error(handler, entry, error, headers=None):
        entry["status"] = error.status
        send(handler, error.status, json.dumps(error.body).encode(), "application/json", headers or {})
