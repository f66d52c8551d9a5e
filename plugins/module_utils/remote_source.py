# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The files of a library item on a source vCenter as the content of an upload: the source side of a copy.

A ``RemoteFile`` stands where a ``LocalFile`` stands in the upload workflow (``name``, ``size``, ``digests()``,
``open()``). Opening one sends the source's download GET; the target's PUT reads it chunk by chunk, so nothing
touches the disk and one 1 MiB chunk is in memory. The bytes are hashed as they pass, and bytes without the
checksum the source reports are refused before their last chunk reaches the target.
"""

from ansible_collections.vsphere.content.plugins.module_utils.checksums import (
    DEFAULT_API_ALGORITHM,
    comparable_algorithm,
    new_hashers,
)
from ansible_collections.vsphere.content.plugins.module_utils.download_sessions import (
    delete_download_session,
    open_download_session,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    SourceError,
    TaskCanceled,
    TransportError,
    VSphereContentError,
)
from ansible_collections.vsphere.content.plugins.module_utils.file_download import (
    Transfer,
    prepare_files,
    wait_prepared,
)
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import is_metadata
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import client_token


class SourceItem:
    """The item on the source vCenter (``client``), its ``files`` as RemoteFiles, and the one download session that
    serves those to send: opened by ``prepare``, deleted by ``close``."""

    def __init__(self, client, host, item, files, request, clock):
        self.client = client
        self.host = host
        self.item = item
        self.files = [RemoteFile(self, entry) for entry in files]
        self.request = request
        self.clock = clock
        self.session_id = None
        self.transfer = None
        self._asked = {}

    def prepare(self, names, warnings):
        """Open the download session and ask vCenter to prepare ``names``, all at once, so that it prepares the next
        while the first passes."""
        token = client_token(scope=self.request.source_token_scope, library_item_id=self.item["id"],
                             run=self.request.run_id, download=True)
        try:
            self.session_id = open_download_session(self.client, self.item["id"], token)
        except TaskCanceled as canceled:
            self.session_id = canceled.details.pop("download_session_id", None)  # for close() to delete
            raise
        total = sum(remote.listed_size or 0 for remote in self.files if remote.name in names)
        self.transfer = Transfer(self.client, self.session_id, total, self.clock, warnings)
        self._asked = prepare_files(self.client, self.transfer, names)

    def prepared(self, name):
        if self.session_id is None:
            raise VSphereContentError("%s was to be sent before the source's download session was open" % name)
        try:
            return wait_prepared(self.client, self.transfer, self.request, name, self._asked.get(name) or {})
        except TaskCanceled:
            raise
        except VSphereContentError as exc:
            raise VSphereContentError("the source vCenter %s: %s" % (self.client.host_label, exc.msg), **exc.details)

    def close(self):
        """Delete the download session, if one was opened; None, or why it could not be deleted."""
        if self.session_id is None:
            return None
        try:
            delete_download_session(self.client, self.session_id)
        except VSphereContentError as exc:
            return exc.msg
        return None


class RemoteFile:
    """One file of the source item, sent under the same name. ``wanted`` is its ``WantedFile``: once the bytes have
    passed whole, with the checksum the source reports, it holds their digests, which the target's read-back checks."""

    def __init__(self, source, entry):
        self.source = source
        self.name = entry["name"]
        self.listed_size = entry.get("size")
        info = entry.get("checksum_info") or {}
        algorithm = comparable_algorithm(info)
        # (algorithm, hex) the source reports, when this collection can compute it
        self.reported = (algorithm, info["checksum"].strip().lower()) if algorithm else None
        self.wanted = None
        self.algorithms = {DEFAULT_API_ALGORITHM} | ({self.reported[0]} if self.reported else set())
        self.sent = None  # the digests of the bytes that last passed whole
        self._info = None

    @property
    def is_metadata(self):
        return is_metadata(self.name)

    @property
    def size(self):
        """The bytes the source will send: what the prepared file reports, else the item's listing."""
        if self._info is None:
            self._info = self.source.prepared(self.name)
        size = self._info.get("size")
        return size if size is not None else self.listed_size

    def digests(self, algorithms):
        """Nothing is known before the bytes pass: the file is added without a checksum, and read back after, against
        the bytes' digests in ``algorithms`` (the target's) too."""
        self.algorithms.update(algorithms)
        return {}, self.size

    def open(self):
        """The source's GET of the file, as a reader for the upload."""
        size = self.size
        uri = (self._info.get("download_endpoint") or {}).get("uri")
        if not uri:
            raise VSphereContentError("the source vCenter gave no download endpoint for %s" % self.name)
        try:
            stream = self.source.client.download(uri, "the download of %s from the source vCenter" % self.name)
        except (ApiError, TransportError) as exc:
            raise SourceError(exc.msg, **exc.details)
        if stream.length is not None and size is not None and stream.length != size:
            stream.close()
            raise SourceError("the source vCenter answers %d bytes for %s, not the %d it reports"
                              % (stream.length, self.name, size), retryable=False)
        self.sent = None
        return _PassingBytes(self, stream, size)

    def passed(self, digests):
        self.sent = digests
        if self.wanted is not None:
            self.wanted.digests.update(digests)

    def sent_note(self):
        """Which side was wrong when the target rejects the file: said only when its bytes passed whole."""
        if not self.sent:
            return None
        if self.reported:
            return ("the source sent bytes whose %s is %s, the one it reports, so the target received other bytes"
                    % self.reported)
        return "the source, which reports no checksum, sent bytes whose SHA1 is %s" % self.sent[DEFAULT_API_ALGORITHM]


class _PassingBytes:
    """``read(n)`` over the source's download, hashing what passes. The digest is checked before the last chunk is
    handed on, so bytes that are not what the source reports never reach the target whole."""

    def __init__(self, remote, stream, size):
        self.remote = remote
        self.stream = stream
        self.size = size
        self.hashers = new_hashers(remote.algorithms)
        self.received = 0
        self._chunks = stream.chunks()
        self._pending = memoryview(b"")

    def read(self, size):
        if not self._pending:
            try:
                chunk = next(self._chunks, None)
            except (ApiError, TransportError) as exc:  # a cancel (TaskCanceled) passes as it is
                raise SourceError(exc.msg, **exc.details)
            if chunk is None:
                return b""
            self._passing(chunk)
            self._pending = memoryview(chunk).cast("B")
        piece, self._pending = self._pending[:size], self._pending[size:]
        return piece

    def _passing(self, chunk):
        for hasher in self.hashers.values():
            hasher.update(chunk)
        self.received += len(chunk)
        transfer = self.remote.source.transfer
        transfer.bytes_received += len(chunk)
        transfer.progress(self.received)
        if self.size is not None and self.received > self.size:
            raise SourceError("the source sent more than the %d bytes it reports for %s"
                              % (self.size, self.remote.name), retryable=False)
        if self.received == self.size:
            self._verify()
            transfer.bytes_done += self.received

    def _verify(self):
        digests = dict((algorithm, hasher.hexdigest()) for algorithm, hasher in self.hashers.items())
        reported = self.remote.reported
        if reported and digests[reported[0]] != reported[1]:
            raise SourceError("the source sent bytes for %s whose %s is %s, not the %s it reports"
                              % (self.remote.name, reported[0], digests[reported[0]], reported[1]), retryable=False)
        self.remote.passed(digests)

    def close(self):
        self.stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
