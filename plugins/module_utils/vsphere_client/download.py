# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Streaming a file from a download endpoint vCenter handed out (``download_endpoint.uri``).

``VSphereClient.download`` sends the GET (with ``Range: bytes=N-`` to resume) and returns a
``DownloadStream``: where the answer starts, how long it is, and its body in chunks. Whether to keep the bytes
already received is the caller's decision: an answer that starts at 0 (a ``200``) means starting over. The
URL is a credential of its own, so no message shows more of it than its host and port.
"""

import re

try:
    import requests
    import requests.exceptions
    from urllib3.exceptions import HTTPError as Urllib3Error
except ImportError:
    pass  # only reached through VSphereClient, which connection.connect() keeps from running without requests

from ansible_collections.vsphere.content.plugins.module_utils.errors import TransportError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import (
    _causes,
    failure_kind,
    quiet_insecure_warnings,
    reason,
    transfer_status_error,
    transport_message,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.tls import forget_tls_errors

DEFAULT_CHUNK_SIZE = 1 << 20
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


def prepare(url, offset, headers):
    """The GET of a download: ``headers`` (the client's own), no content coding, and a Range from ``offset``."""
    # identity: the bytes counted and hashed must be the file's, not a compressed form of it.
    headers = dict(headers, **{"Accept": "*/*", "Accept-Encoding": "identity"})
    if offset:
        headers["Range"] = "bytes=%d-" % offset
    # Not prepared by the client's session: its cookies would go to any port of the host.
    prepared = requests.Request("GET", url, headers=headers).prepare()
    prepared.url = url  # as vCenter wrote it; requests would re-quote it
    return prepared


def open_stream(adapter, prepared, offset, operation, label, request_timeout, settings, secrets):
    """Send a prepared download; return its ``DownloadStream`` once the status and headers are in, or raise
    ``ApiError`` (a 5xx may be tried again) or ``TransportError`` (``retryable`` in its details)."""
    verify, proxies, cert = settings
    try:
        with quiet_insecure_warnings():
            response = adapter.send(prepared, stream=True, verify=verify, proxies=proxies, cert=cert,
                                    timeout=(request_timeout, request_timeout))
    except (requests.exceptions.RequestException, Urllib3Error, OSError) as exc:
        forget_tls_errors()
        message = transport_message(operation, exc, label, request_timeout, secrets)
        final = message.startswith("TLS certificate verification failed")  # sending again cannot make it trusted
        raise TransportError(message, bytes_received=0, retryable=not final)
    try:
        return DownloadStream(response, offset, operation, label, request_timeout, secrets)
    except BaseException:
        response.close()
        raise


class DownloadStream:
    """The answer to one download GET: ``start`` (the byte of the file it begins at), ``length`` (how many bytes
    it carries, or None), ``size`` (the whole file's, when the answer says), then its body by iteration.

    Iterating raises ``TransportError`` (``retryable``, ``bytes_received``) when the body breaks off: a reset, no
    data for ``request_timeout``, or fewer bytes than the answer announced.
    """

    def __init__(self, response, offset, operation, label, request_timeout, secrets):
        self._response = response
        self.operation = operation
        self.label = label
        self.request_timeout = request_timeout
        self._secrets = secrets
        self.received = 0
        status = response.status_code
        length = response.headers.get("Content-Length")
        self.length = int(length) if length and length.isdigit() else None
        if status == 200:
            self.start, self.size = 0, self.length
        elif status == 206:
            self.start, self.size = self._content_range(offset)
        else:
            raise self._status_error()

    def _content_range(self, offset):
        match = _CONTENT_RANGE.match(self._response.headers.get("Content-Range") or "")
        if not match or int(match.group(1)) != offset:
            raise TransportError("%s failed: %s answered a resume from byte %d with a range that starts elsewhere (%s)"
                                 % (self.operation, self.label, offset,
                                    self._response.headers.get("Content-Range") or "no Content-Range"),
                                 bytes_received=0, retryable=False)
        first, last, size = match.groups()
        self.length = int(last) - int(first) + 1
        return int(first), None if size == "*" else int(size)

    def _status_error(self):
        error = transfer_status_error(self.operation, self._response, self.label, self._secrets)
        error.details["bytes_received"] = 0
        return error

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._response.close()

    def chunks(self, chunk_size=DEFAULT_CHUNK_SIZE):
        """The body, ``chunk_size`` bytes at a time (the last may be shorter); one chunk in memory at a time."""
        try:
            for chunk in self._response.raw.stream(chunk_size, decode_content=False):
                self.received += len(chunk)
                yield chunk
        except (requests.exceptions.RequestException, Urllib3Error, OSError) as exc:
            forget_tls_errors()
            raise self._broken(exc)
        if self.length is not None and self.received < self.length:
            raise TransportError("%s failed: the connection to %s ended after %s"
                                 % (self.operation, self.label, self._progress()),
                                 bytes_received=self.received, retryable=True)

    def _progress(self):
        end = self.start + self.received
        total = self.size if self.size is not None else (self.start + self.length if self.length is not None else None)
        return "byte %d of %d" % (end, total) if total is not None else "byte %d" % end

    def _broken(self, exc):
        causes = list(_causes(exc))
        if failure_kind(exc, causes) == "timeout":
            message = "%s timed out: %s sent no data for %s seconds (request_timeout) at %s" % (
                self.operation, self.label, "%g" % self.request_timeout, self._progress())
        else:
            message = "%s failed: the connection to %s broke at %s (%s)" % (
                self.operation, self.label, self._progress(), reason(causes, self._secrets))
        return TransportError(message, bytes_received=self.received, retryable=True)
