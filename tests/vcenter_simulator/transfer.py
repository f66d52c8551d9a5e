# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Receiving a session file's content, PUSHed or PULLed: streamed to disk and hashed as it arrives, then checked.

Nothing is held in memory beyond one chunk. The file record moves WAITING_FOR_TRANSFER -> TRANSFERRING
(``bytes_transferred`` grows) -> READY, or ERROR with a message naming what was expected and what arrived.
A transfer whose record was replaced (the name added again) or removed meanwhile changes nothing.
"""

import hashlib
import os
import secrets

from .vapi import message, utcnow

CHUNK_SIZE = 1 << 20


class Transfer:
    """One reception of ``record``'s content in ``session``; every change of the record under the state's lock."""

    def __init__(self, state, session, record):
        self.state = state
        self.session = session
        self.record = record
        self.name = record["name"]
        self.received = 0
        self.path = os.path.join(state.content_dir(), secrets.token_hex(12))
        self._file = open(self.path, "wb")  # closed by finish() or fail()
        self._sha1 = hashlib.sha1()
        expected = record["expected_checksum"] or {}
        self.algorithm = expected.get("algorithm") or "SHA1"
        self._digest = self._sha1 if self.algorithm == "SHA1" else hashlib.new(self.algorithm.lower())
        with state.lock:
            if self.current():
                if record["path"] and record["source_type"] != "NONE":  # sent again: the last content goes
                    self._discard(record["path"])
                record.update(status="TRANSFERRING", bytes_transferred=0, size=None, checksum_info=None,
                              sha1=None, error_message=None, path=None)

    def current(self):
        """Whether the record is still the session's file of that name (call under the state's lock)."""
        return self.session["files"].get(self.name) is self.record

    def write(self, chunk):
        self._file.write(chunk)
        self._sha1.update(chunk)
        if self._digest is not self._sha1:
            self._digest.update(chunk)
        self.received += len(chunk)
        with self.state.lock:
            if self.current():
                self.record["bytes_transferred"] = self.received
                # A transfer that moves keeps its update session alive.
                self.session["expiration_time"] = utcnow() + self.state.session_expiry

    def finish(self):
        """Check what arrived against the add's size and checksum; READY, or ERROR with the message (returned)."""
        self._file.close()
        expected_size = self.record["expected_size"]
        expected = self.record["expected_checksum"]
        received = self._digest.hexdigest()
        error = None
        if expected_size is not None and expected_size != self.received:
            error = message("com.vmware.content.updatesession.file.SizeMismatch",
                            "The size of %s does not match: expected %d bytes, received %d bytes."
                            % (self.name, expected_size, self.received), self.name, expected_size, self.received)
        elif expected and expected["checksum"].lower() != received:
            error = message("com.vmware.content.updatesession.file.ChecksumMismatch",
                            "The %s checksum of %s does not match: expected %s, received %s."
                            % (self.algorithm, self.name, expected["checksum"], received),
                            self.name, self.algorithm, expected["checksum"], received)
        if error is not None:
            self._set_error(error)
            return error
        with self.state.lock:
            if not self.current():
                self._discard()
                return None
            self.record.update(status="READY", size=self.received, bytes_transferred=self.received,
                               checksum_info={"algorithm": self.algorithm, "checksum": received},
                               sha1=self._sha1.hexdigest(), path=self.path, ready_at=utcnow())
        return None

    def fail(self, text, message_id="com.vmware.content.updatesession.file.TransferFailed"):
        """The transfer broke: ERROR with ``text``; what arrived is thrown away."""
        self._file.close()
        error = message(message_id, text, self.name)
        self._set_error(error)
        return error

    def interrupted(self, total):
        """The sender went away (or was cut off) before ``total`` bytes arrived."""
        return self.fail("The transfer of %s was interrupted after %d of %d bytes." % (self.name, self.received, total),
                         "com.vmware.content.updatesession.file.TransferInterrupted")

    def _set_error(self, error):
        self._discard()
        with self.state.lock:
            if self.current():
                self.record.update(status="ERROR", error_message=error, size=None, checksum_info=None, sha1=None,
                                   path=None)

    def _discard(self, path=None):
        try:
            os.unlink(path or self.path)
        except OSError:
            pass
