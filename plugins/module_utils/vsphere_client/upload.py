# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Streaming a file to an upload endpoint vCenter handed out (``upload_endpoint.uri``).

``VSphereClient.upload`` uses these pieces: the URL check, the body that
requests sends with a Content-Length, and the errors a failed upload raises.
The URL is a credential of its own, so no message ever shows more of it than
its host and port.
"""

import http.client
from urllib.parse import urlsplit

try:
    import requests
    import requests.exceptions
    from urllib3.exceptions import HTTPError as Urllib3Error
except ImportError:
    pass  # only reached through VSphereClient, which connection.connect() keeps from running without requests

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    InvalidOptionError,
    TransportError,
    VSphereContentError,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import (
    _causes,
    failure_kind,
    quiet_insecure_warnings,
    reason,
    redact,
    transfer_status_error,
    transport_message,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.tls import forget_tls_errors
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import DEFAULT_PORTS, origin

DEFAULT_CHUNK_SIZE = 1 << 20
# What one socket write gets: request_timeout bounds each write, so a slow but moving
# link must be able to take one piece within it, whatever chunk_size is.
WRITE_SIZE = 64 << 10


def transfer_origin(url, operation, kind="upload"):
    """Check an upload (or download) URL; return its origin and the ``host:port`` label messages use."""
    if not isinstance(url, str) or not url.isascii() or any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise InvalidOptionError("%s failed: the %s URL is not an http(s) URL in ASCII without spaces" % (operation, kind))
    try:
        scheme, host, port = origin(url)
    except ValueError:
        scheme = host = port = None
    if scheme not in DEFAULT_PORTS or not host or "@" in urlsplit(url).netloc:
        raise InvalidOptionError("%s failed: the %s URL must be http(s)://host[:port]/path, without credentials"
                                 % (operation, kind))
    return (scheme, host, port), "%s:%d" % ("[%s]" % host if ":" in host else host, port)


def url_secrets(url):
    """The parts of an upload or download URL no message may show: all but its scheme, host and port."""
    parts = urlsplit(url)
    return [text for text in (url, parts.path, parts.query) if len(text) > 1]


class UploadAborted(Exception):
    """Carries an exception out of the body past urllib3, which would take an OSError for a broken connection.

    Deliberately not an OSError: urllib3 and requests let it through untouched.
    """

    def __init__(self, error, source):
        super().__init__(error)
        self.error = error
        self.source = source


class StreamBody:
    """An upload body of exactly ``size`` bytes read from ``stream`` ``chunk_size`` at a time.

    requests sends an object with ``__len__`` and ``__iter__`` (and no ``read``) with a
    Content-Length, never chunked; urllib3 writes each piece it yields as it comes, so
    at most one chunk is held in memory.
    """

    def __init__(self, stream, size, chunk_size=DEFAULT_CHUNK_SIZE, on_progress=None):
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise InvalidOptionError("size must be a whole number of bytes, 0 or more")
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise InvalidOptionError("chunk_size must be a whole number of bytes, 1 or more")
        if hasattr(stream, "read"):
            self._read = stream.read
        elif hasattr(stream, "__iter__") and not isinstance(stream, (str, bytes, bytearray)):
            self._read = _ChunkReader(stream).read
        else:
            raise InvalidOptionError("stream must be a binary file object or an iterable of bytes")
        self.size = size
        self.chunk_size = chunk_size
        self._on_progress = on_progress
        self.started = False  # the request line went out: connection and TLS handshake are done
        self.bytes_sent = 0

    def __len__(self):
        return self.size

    def __iter__(self):
        self.started = True
        while self.bytes_sent < self.size:
            chunk = self._next_chunk()
            view = memoryview(chunk).cast("B")
            for start in range(0, len(view), WRITE_SIZE):
                piece = view[start:start + WRITE_SIZE]
                yield piece
                # Resumed only once urllib3 has written the piece to the socket.
                self.bytes_sent += len(piece)
            if self._on_progress is not None:
                try:
                    self._on_progress(self.bytes_sent)
                # What urllib3 would catch around the body and take for a broken connection.
                except (OSError, http.client.HTTPException, Urllib3Error) as exc:
                    raise UploadAborted(exc, source=False) from exc

    def _next_chunk(self):
        wanted = min(self.chunk_size, self.size - self.bytes_sent)
        try:
            chunk = self._read(wanted)
        # What urllib3 would take for a broken connection, and what a closed or text-mode file raises.
        except (OSError, http.client.HTTPException, Urllib3Error, ValueError, TypeError) as exc:
            raise UploadAborted(exc, source=True) from exc
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise UploadAborted(TypeError("the stream gave %s, not bytes" % type(chunk).__name__), source=True)
        if memoryview(chunk).nbytes > wanted:
            raise UploadAborted(ValueError("the stream gave more bytes than asked for"), source=True)
        if not chunk:
            raise UploadAborted(EOFError("it ended after %d of %d bytes" % (self.bytes_sent, self.size)), source=True)
        return chunk


class _ChunkReader:
    """``read(n)`` over an iterable of bytes chunks of any size."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._pending = memoryview(b"")

    def read(self, size):
        parts = []
        while size > 0:
            if not self._pending:
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._pending = memoryview(chunk).cast("B")
                continue
            parts.append(self._pending[:size])
            size -= len(parts[-1])
            self._pending = self._pending[len(parts[-1]):]
        return b"".join(parts)


def prepare(method, url, body, headers):
    """The request for an upload: ``headers`` (the client's own) and the body's type and length."""
    headers = dict(headers, **{"Content-Type": "application/octet-stream", "Content-Length": str(body.size)})
    # Not prepared by the client's session: its cookies would go to any port of the host.
    prepared = requests.Request(method, url, headers=headers).prepare()
    # The URL as vCenter wrote it (requests would re-quote it); the body set here so requests adds no
    # Transfer-Encoding: an empty body would otherwise be sent chunked.
    prepared.url, prepared.body = url, body
    return prepared


def send(adapter, prepared, body, operation, label, request_timeout, settings, secrets):
    """Send a prepared upload whose body is ``body``; return the 2xx response, or raise."""
    verify, proxies, cert = settings
    try:
        with quiet_insecure_warnings():
            response = adapter.send(prepared, verify=verify, proxies=proxies, cert=cert,
                                    timeout=(request_timeout, request_timeout))
            response.content  # read here: a connection failing now is the upload's failure too
    except UploadAborted as aborted:
        raise aborted_error(operation, aborted, body, secrets) from aborted.error
    except (requests.exceptions.RequestException, Urllib3Error, OSError) as exc:
        forget_tls_errors()
        raise transport_error(operation, exc, label, request_timeout, body, secrets)
    if response.status_code >= 300:
        raise status_error(operation, response, label, body, secrets)
    if body.bytes_sent < body.size:
        # urllib3 stops sending when the server hangs up and reads the answer it left, if any.
        raise TransportError("%s failed: the connection to %s broke after %d of %d bytes (HTTP %d came before the rest)"
                             % (operation, label, body.bytes_sent, body.size, response.status_code),
                             **_details(body, True))
    return response


def _details(body, retryable):
    return {"bytes_sent": body.bytes_sent, "retryable": retryable}


def aborted_error(operation, aborted, body, secrets):
    """The exception to raise for an ``UploadAborted``: the caller's own, or one for the unreadable source."""
    if not aborted.source:
        return aborted.error
    text = redact(str(aborted.error) or type(aborted.error).__name__, secrets)
    return VSphereContentError("%s failed: reading the file to upload failed: %s" % (operation, text),
                               **_details(body, False))


def transport_error(operation, exc, label, request_timeout, body, secrets):
    """A TransportError for an upload that got no usable answer; only a certificate that failed
    verification is not worth another try."""
    causes = list(_causes(exc))
    kind = failure_kind(exc, causes)
    # Once the request line went out, connection and handshake were fine: whatever failed then broke the connection.
    if body.started and kind in ("tls", "connection", "local"):
        kind = "broken"
    progress = "after %d of %d bytes" % (body.bytes_sent, body.size)
    if body.started and body.bytes_sent == body.size:
        progress = "after all %d bytes were sent" % body.size
    seconds = "%g seconds (request_timeout)" % request_timeout
    if kind == "timeout" and not body.started:
        message = "%s timed out: no connection to %s within %s" % (operation, label, seconds)
    elif kind == "timeout" and body.bytes_sent < body.size:
        message = "%s timed out: %s took no data for %s %s" % (operation, label, seconds, progress)
    elif kind == "timeout":
        message = "%s timed out: %s did not answer within %s %s" % (operation, label, seconds, progress)
    elif kind == "broken":
        message = "%s failed: the connection to %s broke %s (%s)" % (operation, label, progress, reason(causes, secrets))
    else:
        message = transport_message(operation, exc, label, request_timeout, secrets)
    # Sending again cannot make a certificate trusted nor a local file (a CA bundle, say) readable.
    final = (kind == "tls" and message.startswith("TLS certificate verification failed")) or (
        kind == "local" and not body.started)
    return TransportError(message, **_details(body, not final))


def status_error(operation, response, label, body, secrets):
    """An ApiError for a non-2xx answer (see ``transfer_status_error``), with the bytes sent."""
    error = transfer_status_error(operation, response, label, secrets)
    error.details["bytes_sent"] = body.bytes_sent
    return error
