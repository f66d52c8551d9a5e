# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP plumbing: the request handler, the threading HTTPS server and the way answers are written."""

import fcntl
import http.server
import socket
import ssl
import struct
import sys
import termios
import threading
import time


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "vcenter-simulator"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm holds the body
        # back until the client's delayed ACK, some 40 ms per answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connection_id = next(self.server.simulator.connection_ids)

    def do_GET(self):
        self.server.simulator.handle(self, "GET")

    def do_POST(self):
        self.server.simulator.handle(self, "POST")

    def do_PATCH(self):
        self.server.simulator.handle(self, "PATCH")

    def do_DELETE(self):
        self.server.simulator.handle(self, "DELETE")

    def do_PUT(self):
        self.server.simulator.handle(self, "PUT")


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, simulator, family, role="api"):
        self.address_family = family
        self.simulator = simulator
        self.role = role  # "api", or "upload" for the upload endpoint's own port
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):
        # Clients that time out or hang up mid-answer are part of the tests, not server bugs.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, socket.timeout)):
            return
        super().handle_error(request, client_address)


def serve(simulator, host, port, certificate, role):
    """An HTTPS server for ``simulator`` on (host, port) with ``certificate`` (trustme), serving in a thread."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = _Server((host, port), simulator, family, role)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="vcenter-simulator-%s" % role, daemon=True)
    thread.start()
    return server


def send(handler, status, payload, content_type, headers):
    """Write one whole answer: status, headers, Content-Length and the payload."""
    handler.send_response(status)
    if content_type:
        handler.send_header("Content-Type", content_type)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(payload)))
    handler.end_headers()
    if payload:
        handler.wfile.write(payload)


def hang_up(handler, entry, status, reset=False):
    """Close the connection without (the rest of) an answer; ``status`` is what the log says.

    ``reset``: a hard close, so a client still sending gets a connection reset.
    """
    # Logged first: the client may look at the log as soon as the connection closes.
    entry["status"] = status
    handler.close_connection = True
    if reset:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.shutdown(socket.SHUT_RDWR)


def wait_sent(handler, timeout=1.0):
    """Wait until the peer has acknowledged all that was written, so that a hard close loses none of it
    (a reset throws away what is still queued); at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queued = fcntl.ioctl(handler.connection.fileno(), termios.TIOCOUTQ, struct.pack("i", 0))
        if not struct.unpack("i", queued)[0]:
            return
        time.sleep(0.005)
