# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""VSphereClient.upload against real HTTPS servers on 127.0.0.1 (stdlib http.server + ssl, a trustme CA).

No assertion here measures time: a timeout is shown by the order of events (the client gave up while
the server still held the body back), slowness by how the server reads.
"""

import hashlib
import json
import os
import re
import socket
import ssl
import struct
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    InvalidOptionError,
    TransportError,
    VSphereContentError,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import REDACTED
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import origin
from helpers import certificate_loads

MiB = 1 << 20
TOKEN = "upload-test-session-token-0123456789"
SESSION_HEADER = "vmware-api-session-id"
UPLOAD_PATH = "/cls/data/f0e1d2c3-secret-transfer-token/disk.vmdk"


class Handler(BaseHTTPRequestHandler):
    """API calls (GET) answer a session; PUT and POST bodies go to the server's ``receive``."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def _entry(self):
        entry = {"method": self.command, "path": self.path, "headers": dict(self.headers),
                 "peer": self.client_address, "received": 0}
        self.server.log.append(entry)
        return entry

    def do_GET(self):
        entry = self._entry()
        entry["upload_received"] = [e["received"] for e in self.server.log if e["method"] == "PUT"]
        self.answer(200, json.dumps({"user": "someone", "created_time": "2024-01-01T00:00:00.000Z"}))

    def do_PUT(self):
        self.server.receive(self, self._entry(), int(self.headers.get("Content-Length", "-1")))

    do_POST = do_PUT

    def read_body(self, entry, length, piece=MiB, keep=True, pause=None):
        """Read ``length`` bytes; ``pause(received)`` may sleep or stop between pieces."""
        digest, kept = hashlib.sha256(), []
        while entry["received"] < length:
            data = self.rfile.read(min(piece, length - entry["received"]))
            if not data:
                break
            digest.update(data)
            if keep:
                kept.append(data)
            entry["received"] += len(data)
            if pause is not None:
                pause(entry["received"])
        entry["sha256"] = digest.hexdigest()
        entry["body"] = b"".join(kept) if keep else None

    def answer(self, status, body=""):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reset(self):
        """Close with a TCP RST, not a FIN: what a crashed or overloaded peer looks like."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, context, receive):
        super().__init__(("127.0.0.1", 0), Handler, bind_and_activate=False)
        self.scheme = "https" if context else "http"
        # A small receive buffer keeps what the kernels hold for the client small, so the
        # client's writes meet the server's pace (and a reset comes mid-body).
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        self.server_bind()
        self.server_activate()
        if context:
            self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
        self.port = self.server_address[1]
        self.receive = receive
        self.log = []

    def handle_error(self, request, client_address):
        pass  # resets, handshakes the client refused: expected here

    def uploads(self):
        return [entry for entry in self.log if entry["method"] in ("PUT", "POST")]


def store(status=200, body=""):
    def receive(handler, entry, length):
        handler.read_body(entry, length)
        handler.answer(status, body)
    return receive


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(autouse=True)
def no_proxy_nor_bundle(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
                 "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def start(ca):
    """``start(receive, issuer=...)`` serves HTTPS (or HTTP) on a new port of 127.0.0.1 until the test ends."""
    servers = []

    def start_server(receive=None, issuer=None, tls=True):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH) if tls else None
        if tls:
            (issuer or ca).issue_cert("127.0.0.1", "localhost").configure_cert(context)
        server = Server(context, receive or store())
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server

    yield start_server
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def connect(ca_file):
    """A client whose vCenter is ``server`` (127.0.0.1 at its port), already holding an API session."""
    clients = []

    def client_for(server, hostname="127.0.0.1", **options):
        options.setdefault("ca_path", ca_file)
        client = VSphereClient(hostname, port=server.port, session_token=TOKEN, **options)
        clients.append(client.__enter__())
        return client

    yield client_for
    for client in clients:
        client.close()


def url(server, path=UPLOAD_PATH, host="127.0.0.1"):
    return "%s://%s:%d%s" % (server.scheme, host, server.port, path)


class GeneratedFile:
    """A binary file object whose bytes come from a generator, never all in memory."""

    def __init__(self, size, block=256 * 1024):
        self._blocks = (bytes([n % 251]) * block for n in range(size // block + 1))
        self._pending = b""

    def read(self, size):
        while len(self._pending) < size:
            block = next(self._blocks, None)
            if block is None:
                break
            self._pending += block
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


# -- the body on the wire ----------------------------------------------------------------------------


def test_body_arrives_byte_exact_with_content_length(start, connect, tmp_path):
    server = start()
    client = connect(server)
    data = os.urandom(5 * MiB + 123)
    path = tmp_path / "disk.vmdk"
    path.write_bytes(data)
    progress = []
    with open(path, "rb") as stream:
        response = client.upload(url(server), stream, len(data), "upload of disk.vmdk", on_progress=progress.append)
    assert response.status_code == 200
    (entry,) = server.uploads()
    assert entry["body"] == data
    assert entry["method"] == "PUT" and entry["path"] == UPLOAD_PATH
    assert entry["headers"]["Content-Length"] == str(len(data))
    assert entry["headers"]["Content-Type"] == "application/octet-stream"
    assert "Transfer-Encoding" not in entry["headers"]
    assert progress == [MiB * n for n in range(1, 6)] + [len(data)]


def test_iterable_of_chunks_of_any_size_and_post(start, connect):
    server = start()
    client = connect(server)
    chunks = [b"a" * 10, b"", os.urandom(3 * MiB), b"b" * 7, os.urandom(MiB // 3)]
    data = b"".join(chunks)
    progress = []
    client.upload(url(server), iter(chunks), len(data), "upload of disk.vmdk", method="POST",
                  on_progress=progress.append, chunk_size=MiB // 2)
    (entry,) = server.uploads()
    assert entry["method"] == "POST" and entry["body"] == data
    assert progress == sorted(set(progress)) and progress[-1] == len(data)
    assert all(later - earlier <= MiB // 2 for earlier, later in zip([0] + progress, progress))


def test_empty_file_sends_content_length_zero(start, connect):
    server = start()
    connect(server).upload(url(server), iter([]), 0, "upload of empty.txt")
    (entry,) = server.uploads()
    assert entry["headers"]["Content-Length"] == "0" and "Transfer-Encoding" not in entry["headers"]
    assert entry["body"] == b""


def test_only_size_bytes_are_read_from_a_longer_stream(start, connect):
    """A caller may hand a file positioned at a member of a larger archive."""
    server = start()
    connect(server).upload(url(server), iter([b"0123456789"]), 4, "upload of member.vmdk")
    assert server.uploads()[0]["body"] == b"0123"


def test_a_stream_shorter_than_size_fails_without_completing_the_body(start, connect):
    server = start()
    with pytest.raises(VSphereContentError) as error:
        connect(server).upload(url(server), iter([b"x" * 1000]), 5000, "upload of disk.vmdk")
    assert not isinstance(error.value, (ApiError, TransportError)), "the network is not to blame"
    assert error.value.msg == ("upload of disk.vmdk failed: reading the file to upload failed: "
                               "it ended after 1000 of 5000 bytes")
    assert error.value.details == {"bytes_sent": 1000, "retryable": False}


# -- the session header ------------------------------------------------------------------------------


def test_session_header_goes_to_the_vcenter_the_user_named_only(start, connect):
    vcenter, elsewhere = start(), start()
    client = connect(vcenter)
    client.upload(url(vcenter), iter([b"one"]), 3, "upload of one")
    client.upload(url(elsewhere), iter([b"two"]), 3, "upload of two")
    client.upload(url(vcenter, host="LOCALHOST"), iter([b"three"]), 5, "upload of three")
    assert vcenter.uploads()[0]["headers"][SESSION_HEADER] == TOKEN
    assert SESSION_HEADER not in elsewhere.uploads()[0]["headers"]
    # Another name for the same address is another origin: no header.
    assert SESSION_HEADER not in vcenter.uploads()[1]["headers"]
    assert all("Cookie" not in entry["headers"] for entry in vcenter.uploads() + elsewhere.uploads())


def test_plain_http_upload_url_gets_no_session_header(start, connect):
    vcenter = start()
    plain = start(tls=False)
    connect(vcenter).upload(url(plain), iter([b"plain"]), 5, "upload of plain")
    (entry,) = plain.uploads()
    assert entry["body"] == b"plain" and SESSION_HEADER not in entry["headers"]


def test_host_names_compare_case_insensitively(start, connect):
    server = start()
    connect(server, hostname="localhost").upload(url(server, host="LocalHost"), iter([b"x"]), 1, "upload of x")
    assert server.uploads()[0]["headers"][SESSION_HEADER] == TOKEN


@pytest.mark.parametrize("first, second, same", [
    ("https://vc.example.com:443", "https://VC.Example.com/cls/data/x", True),
    ("https://[2001:db8::1]:443", "https://[2001:DB8::1]:443/x", True),
    ("http://vc.example.com", "http://vc.example.com:80/x", True),
    ("https://vc.example.com:443", "http://vc.example.com:443/x", False),
    ("https://vc.example.com:443", "https://vc.example.com:8443/x", False),
    ("https://vc.example.com:443", "https://vc.example.com.evil.test/x", False),
])
def test_origin_is_normalised(first, second, same):
    assert (origin(first) == origin(second)) is same


@pytest.mark.parametrize("bad", ["ftp://127.0.0.1/x", "https:///x", "https://user:pw@127.0.0.1/x",
                                 "https://127.0.0.1/a b", "/cls/data/x", "https://127.0.0.1:99999/x"])
def test_unusable_urls_are_refused_without_echoing_them(start, connect, bad):
    server = start()
    with pytest.raises(InvalidOptionError) as error:
        connect(server).upload(bad, iter([b"x"]), 1, "upload of x")
    assert error.value.msg.startswith("upload of x failed: the upload URL ")
    assert "pw" not in error.value.msg and "/x" not in error.value.msg
    assert server.uploads() == []


# -- progress and API calls during the upload --------------------------------------------------------


def test_on_progress_may_call_the_api_on_another_connection(start, connect):
    server = start()
    client = connect(server)
    seen = []

    def on_progress(sent):
        seen.append(sent)
        if len(seen) == 2:
            assert client.request("GET", "/api/session", "check the API session")["user"] == "someone"

    client.upload(url(server), GeneratedFile(4 * MiB), 4 * MiB, "upload of disk.vmdk", on_progress=on_progress)
    put, get = server.log
    assert (put["method"], get["method"]) == ("PUT", "GET")
    assert put["received"] == 4 * MiB
    # The API call arrived while the body was still coming, on a connection of its own.
    assert get["upload_received"][0] < 4 * MiB
    assert get["peer"] != put["peer"]
    assert get["headers"][SESSION_HEADER] == TOKEN


def test_an_error_in_on_progress_ends_the_upload_as_it_is(start, connect):
    server = start()

    def on_progress(sent):
        raise OSError("progress file is full after %d" % sent)

    with pytest.raises(OSError, match="progress file is full after 1048576"):
        connect(server).upload(url(server), GeneratedFile(3 * MiB), 3 * MiB, "upload of disk.vmdk",
                               on_progress=on_progress)


# -- failures ----------------------------------------------------------------------------------------


def reset_after(count):
    def receive(handler, entry, length):
        handler.read_body(entry, min(count, length), keep=False)
        handler.reset()
    return receive


def test_connection_reset_mid_body_is_retryable(start, connect):
    server = start(reset_after(MiB))
    size = 64 * MiB
    with pytest.raises(TransportError) as error:
        connect(server).upload(url(server), GeneratedFile(size), size, "upload of disk.vmdk")
    sent = error.value.details["bytes_sent"]
    assert MiB <= sent < size
    assert error.value.msg.startswith("upload of disk.vmdk failed: the connection to 127.0.0.1:%d broke after "
                                      "%d of %d bytes (" % (server.port, sent, size))
    assert error.value.details["retryable"] is True
    assert UPLOAD_PATH not in error.value.msg and TOKEN not in error.value.msg


def test_an_answer_before_the_whole_body_is_no_success(start, connect):
    """A server may answer 200 and hang up without reading on; urllib3 then hands over that answer."""
    def hang_up(handler, entry, length):
        handler.answer(200)
        handler.wfile.flush()
        handler.connection.close()  # with the body unread: the client's next write meets a reset
        handler.close_connection = True

    vcenter, storage = start(), start(hang_up, tls=False)
    size = 64 * MiB
    with pytest.raises(TransportError) as error:
        connect(vcenter).upload(url(storage), GeneratedFile(size), size, "upload of disk.vmdk")
    sent = error.value.details["bytes_sent"]
    assert sent < size
    assert error.value.msg == ("upload of disk.vmdk failed: the connection to 127.0.0.1:%d broke after %d of %d "
                               "bytes (HTTP 200 came before the rest)" % (storage.port, sent, size))
    assert error.value.details["retryable"] is True


def vapi_error(error_type, message):
    return json.dumps({"error_type": error_type, "messages": [
        {"id": "x", "default_message": message, "args": []}]})


def test_503_is_retryable(start, connect):
    server = start(store(503, vapi_error("SERVICE_UNAVAILABLE", "Restarting.")))
    with pytest.raises(ApiError) as error:
        connect(server).upload(url(server), iter([b"x" * 3000]), 3000, "upload of disk.vmdk")
    assert error.value.msg == ("upload of disk.vmdk failed: HTTP 503 SERVICE_UNAVAILABLE from 127.0.0.1:%d: "
                               "Restarting." % server.port)
    assert error.value.status == 503
    assert (error.value.details["retryable"], error.value.details["bytes_sent"]) == (True, 3000)


def test_400_is_not_retryable_and_secrets_are_redacted(start, connect):
    echo = "size mismatch for %s with session %s" % (UPLOAD_PATH, TOKEN)
    server = start(store(400, vapi_error("INVALID_ARGUMENT", echo)))
    with pytest.raises(ApiError) as error:
        connect(server).upload(url(server), iter([b"x" * 10]), 10, "upload of disk.vmdk")
    assert error.value.msg == ("upload of disk.vmdk failed: HTTP 400 INVALID_ARGUMENT: size mismatch for %s with "
                               "session %s" % (REDACTED, REDACTED))
    assert (error.value.status, error.value.details["retryable"]) == (400, False)
    assert error.value.details["bytes_sent"] == 10


def test_idle_server_trips_request_timeout(start, connect):
    release = threading.Event()
    state = {}

    def stall(handler, entry, length):
        handler.read_body(entry, MiB, keep=False)
        state["resumed"] = not release.wait(30)  # holds the rest back until the test lets go
        handler.reset()

    server = start(stall)
    size = 256 * MiB
    with pytest.raises(TransportError) as error:
        connect(server, request_timeout=0.5).upload(url(server), GeneratedFile(size), size, "upload of disk.vmdk")
    server_still_waiting = "resumed" not in state
    release.set()
    assert server_still_waiting, "the client gave up only once the server went on"
    sent = error.value.details["bytes_sent"]
    assert MiB <= sent < size
    assert error.value.msg == ("upload of disk.vmdk timed out: 127.0.0.1:%d took no data for 0.5 seconds "
                               "(request_timeout) after %d of %d bytes" % (server.port, sent, size))
    assert error.value.details["retryable"] is True


def test_slow_but_moving_upload_outlasts_request_timeout(start, connect):
    """Four pauses of 0.4 s each: 1.6 s in all, more than request_timeout 1, none alone that long."""
    pauses = []

    def pause(received):
        if received % (8 * MiB) == 0 and len(pauses) < 4:
            pauses.append(received)
            time.sleep(0.4)

    def slow(handler, entry, length):
        handler.read_body(entry, length, keep=False, pause=pause)
        handler.answer(200)

    server = start(slow)
    size = 40 * MiB
    response = connect(server, request_timeout=1).upload(url(server), GeneratedFile(size), size, "upload of disk.vmdk")
    assert response.status_code == 200
    assert len(pauses) == 4 and server.uploads()[0]["received"] == size


def test_untrusted_certificate_is_not_retryable(start, connect):
    vcenter, foreign = start(), start(issuer=trustme.CA())
    with pytest.raises(TransportError) as error:
        connect(vcenter).upload(url(foreign), iter([b"x"]), 1, "upload of disk.vmdk")
    assert error.value.msg.startswith("TLS certificate verification failed for 127.0.0.1:%d: " % foreign.port)
    assert error.value.details == {"bytes_sent": 0, "retryable": False}
    assert foreign.uploads() == []


def test_validate_certs_false_reaches_any_certificate(start, connect):
    vcenter, foreign = start(), start(issuer=trustme.CA())
    connect(vcenter, validate_certs=False).upload(url(foreign), iter([b"x"]), 1, "upload of disk.vmdk")
    assert foreign.uploads()[0]["body"] == b"x"


def test_api_calls_and_uploads_share_one_context_whose_certificates_load_once(start, connect, ca_file, monkeypatch):
    server = start()
    client = connect(server)
    loads = certificate_loads(monkeypatch)
    client.request("GET", "/api/session", "get the API session")
    client.upload(url(server), iter([b"x"]), 1, "upload of disk.vmdk")
    client.upload(url(server), iter([b"y"]), 1, "upload of disk.vmdk")
    assert [entry["method"] for entry in server.log] == ["GET", "PUT", "PUT"]
    assert len({entry["peer"] for entry in server.log}) == 2, "one connection for API calls, one for uploads"
    assert loads == [("load_verify_locations", ca_file)]


def test_refused_connection_is_retryable(start, connect):
    server = start()
    client = connect(server)
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    with pytest.raises(TransportError) as error:
        client.upload("https://127.0.0.1:%d/cls/data/x/y" % port, iter([b"x"]), 1, "upload of y")
    assert error.value.msg == "upload of y failed: 127.0.0.1:%d refused the connection" % port
    assert error.value.details == {"bytes_sent": 0, "retryable": True}


# -- memory -------------------------------------------------------------------------------------------


def _status_kib(name):
    return int(re.search(r"^%s:\s+(\d+) kB" % name, open("/proc/self/status").read(), re.M).group(1))


def test_a_200_mib_upload_is_never_whole_in_memory(start, connect):
    def count(handler, entry, length):
        handler.read_body(entry, length, keep=False)
        handler.answer(200)

    server = start(count)
    client = connect(server)
    size = 200 * MiB
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")  # resets VmHWM, the peak resident size, to what is resident now
        before = _status_kib("VmRSS")
    except OSError:
        before = None
    tracemalloc.start()
    try:
        client.upload(url(server), GeneratedFile(size), size, "upload of big.iso")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert server.uploads()[0]["received"] == size
    assert peak < 30 * MiB
    if before is not None:
        assert (_status_kib("VmHWM") - before) * 1024 < 30 * MiB


# -- proxy -------------------------------------------------------------------------------------------


class Tunnel(threading.Thread):
    """A minimal CONNECT proxy that records the targets it tunnelled to."""

    def __init__(self):
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.targets = []

    def run(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.tunnel, args=(client,), daemon=True).start()

    def tunnel(self, client):
        head = b""
        while b"\r\n\r\n" not in head:
            head += client.recv(4096)
        target = head.split()[1].decode()
        self.targets.append(target)
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()
            source.close()


def test_uploads_go_through_proxy_host(start, connect):
    vcenter, storage = start(), start()
    proxy = Tunnel()
    proxy.start()
    try:
        client = connect(vcenter, proxy_host="127.0.0.1", proxy_port=proxy.port)
        client.upload(url(storage), iter([b"proxied"]), 7, "upload of disk.vmdk")
    finally:
        proxy.listener.close()
    assert storage.uploads()[0]["body"] == b"proxied"
    assert proxy.targets == ["127.0.0.1:%d" % storage.port]
