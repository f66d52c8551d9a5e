# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A loopback HTTP(S) file server for PULL tests: what vCenter fetches from, with its own CA when on TLS.

    with FileSource(tls=True) as source:
        url = source.add("disk.vmdk", b"...")      # or a path on disk, streamed from it
        source.thumbprint                            # SHA-1 of its certificate, as TransferEndpoint wants it
        source.sha256_thumbprint                     # SHA-256, as the 9.1 documentation prefers
        source.ca_file                               # the CA that issued that certificate
        source.fail("/broken", 500)                  # that path answers 500
        source.chunk_delay = 0.1                     # slow: seconds before each chunk (of .chunk_size)
"""

import http.server
import os
import socket
import ssl
import tempfile
import threading
import time
from urllib.parse import quote, unquote, urlsplit

import trustme

from .pull import thumbprint_of

CHUNK_SIZE = 64 << 10


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def do_GET(self):
        source = self.server.source
        path = unquote(urlsplit(self.path).path)
        source.requests.append(path)
        if path in source.failures:
            self._answer(source.failures[path], b"failing on purpose\n")
            return
        content = source.files.get(path)
        if content is None:
            self._answer(404, b"not found\n")
            return
        size = os.path.getsize(content) if isinstance(content, str) else len(content)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size if source.short_by is None else size + source.short_by))
        self.end_headers()
        for chunk in _chunks(content, source.chunk_size):
            if source.chunk_delay:
                time.sleep(source.chunk_delay)
            self.wfile.write(chunk)
        if source.short_by is not None:  # promised more than it sends
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _chunks(content, chunk_size):
    if isinstance(content, bytes):
        for start in range(0, len(content), chunk_size):
            yield content[start:start + chunk_size]
        return
    with open(content, "rb") as handle:
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                return
            yield chunk


class FileSource:
    """Serves ``files`` (URL path -> bytes or a file path) over HTTP, or HTTPS with a certificate of its own CA."""

    def __init__(self, tls=False, host="127.0.0.1", cert_names=("127.0.0.1", "localhost")):
        self.tls = tls
        self.host = host
        self.files = {}
        self.failures = {}
        self.requests = []
        self.chunk_delay = 0.0
        self.chunk_size = CHUNK_SIZE
        self.short_by = None  # when set, the Content-Length promises this many bytes more than are sent
        self.ca = trustme.CA(organization_name="Loopback File Source CA") if tls else None
        self._cert_names = cert_names
        self._server = None
        self._directory = None
        self.ca_file = None
        self.thumbprint = self.sha256_thumbprint = None

    def start(self):
        self._server = http.server.ThreadingHTTPServer((self.host, 0), _Handler)
        self._server.daemon_threads = True
        self._server.source = self
        if self.tls:
            self._directory = tempfile.mkdtemp(prefix="file-source-")
            self.ca_file = os.path.join(self._directory, "file-source-ca.pem")
            self.ca.cert_pem.write_to_path(self.ca_file)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            certificate = self.ca.issue_cert(*self._cert_names)
            certificate.configure_cert(context)
            der = ssl.PEM_cert_to_DER_cert(certificate.cert_chain_pems[0].bytes().decode())
            self.thumbprint, self.sha256_thumbprint = thumbprint_of(der), thumbprint_of(der, "sha256")
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                         name="file-source").start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._directory:
            os.unlink(self.ca_file)
            os.rmdir(self._directory)
            self._directory = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    def url(self, path):
        return "%s://%s:%d%s" % ("https" if self.tls else "http", self.host, self.port, quote(path))

    def add(self, name, content):
        """Serve ``content`` (bytes, or the path of a file) at ``/<name>``; returns its URL."""
        path = "/" + name
        self.files[path] = content if isinstance(content, bytes) else str(content)
        return self.url(path)

    def fail(self, path, status=500):
        """``path`` answers ``status``; returns its URL."""
        self.failures[path] = status
        return self.url(path)
