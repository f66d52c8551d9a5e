# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the reliability and security proofs, and the report they write.

Tests add their figures to ``figures``; each pytest process (the one, or each xdist worker) leaves them in
a shared directory, and when every section of reliability_support.SECTIONS was filled and no test failed,
the process that ran the session (tests/conftest.py) writes docs/reliability.md from all of them. All
inputs are seeded, so a run on a fresh clone writes the same file.
"""

import os
import socket
import threading

import pytest

from reliability_support import Figures, ProxyProcess, figures_dir


@pytest.fixture(scope="session")
def figures(request):
    collected = Figures()
    yield collected
    directory = figures_dir()
    if directory:
        worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
        collected.save(directory, worker)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def proxy_server(tmp_path_factory):
    proxy = ProxyProcess(tmp_path_factory.mktemp("proxy"))
    yield proxy
    proxy.stop()


class PlainHttpServer:
    def __init__(self, port):
        self.port = port
        self.connections = 0


@pytest.fixture
def plain_http_server():
    """A server on 127.0.0.1 that answers TLS handshakes with plain HTTP, as a wrong port does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)  # so the loop sees ``stop``
    stop = threading.Event()
    server = PlainHttpServer(listener.getsockname()[1])

    def serve():
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            server.connections += 1
            connection.settimeout(5)
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server
    stop.set()
    thread.join(timeout=5)
    listener.close()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 nothing listens on."""
    return _free_port()


@pytest.fixture
def isolated_env(monkeypatch):
    """No proxy or VMWARE_* variables from the machine running the tests."""
    for name in list(os.environ):
        if name.lower() in ("https_proxy", "http_proxy", "all_proxy", "no_proxy") or name.startswith("VMWARE_"):
            monkeypatch.delenv(name, raising=False)
    return monkeypatch
