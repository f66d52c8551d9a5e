# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful vCenter stand-in for the session API and Content Library libraries, items, update and download
sessions and files.

It serves HTTPS on loopback with a certificate from its own CA, behaves as the
official API description says vCenter behaves, validates every request body it
accepts and every response body it sends against that description, and keeps a
log of what it received. Tests drive it in-process; ``python -m
vcenter_simulator`` runs it on its own.
"""

import itertools
import os
import tempfile
import threading

import trustme

from .dispatch import Dispatcher
from .download import DownloadEndpoint
from .download_api import DownloadOperations
from .faults import Fault
from .file_api import FileOperations
from .httpd import serve
from .library_api import LibraryOperations
from .operations import Operations
from .spec import ApiSpec
from .state import SimulatorState
from .upload import UploadEndpoint
from .vapi import SESSION_EXPIRY_SECONDS
from .wire import WireCheck

WARNING_TYPE_DEFINITION = "ContentLibraryItemUpdatesessionWarningType"

__all__ = ["Fault", "SimulatorState", "VCenterSimulator"]


class VCenterSimulator(Dispatcher, Operations, FileOperations, LibraryOperations, DownloadOperations,
                       UploadEndpoint, DownloadEndpoint):
    """The simulator: start(), then point clients at ``host``/``port``; stop() when done.

    ``upload_port``: "same" serves the upload and download endpoints on the API's port; "separate" (or a
    port number) on a second HTTPS port with its own certificate from the same CA, where upload and
    download URIs then point. ``upload_host`` is the host those URIs name (the simulator's by default).
    ``trusted_roots``: PEM certificates that signed content may chain to (else the preview warns
    UNTRUSTED_CERTIFICATE). ``trusted_source_cas``: CA files (or PEM text) that PULL sources'
    certificates are verified against when the add gives no thumbprint. ``newer_values``
    ({OpenAPI definition name: [values]}): enumeration values a later release adds, which the simulator
    then accepts and may send (a warning type it may raise, a status seeded into its state); the wire
    check still holds every request to 8.0.3, 9.0 and 9.1, which know none of them.
    """

    def __init__(self, host="127.0.0.1", port=0, api_version="8.0.2", users=None, cert_dir=None,
                 session_expiry=SESSION_EXPIRY_SECONDS, cert_names=("127.0.0.1", "localhost", "::1"),
                 latency=0.0, login_latency=0.0, upload_port="same", upload_host=None, trusted_roots=(),
                 trusted_source_cas=(), newer_values=None):
        if upload_port not in ("same", "separate") and not isinstance(upload_port, int):
            raise ValueError("upload_port must be 'same', 'separate' or a port number, not %r" % (upload_port,))
        self.cert_names = tuple(cert_names)
        # Added to every API call, and on top of that to each login, so that timings resemble a real
        # vCenter, where a login's SSO token exchange costs hundreds of milliseconds.
        self.latency = latency
        self.login_latency = login_latency
        self.spec = ApiSpec(api_version, newer_values)
        self.wire = WireCheck()
        self.state = SimulatorState(users, session_expiry, trusted_roots,
                                    (newer_values or {}).get(WARNING_TYPE_DEFINITION, ()))
        self.upload_port = upload_port
        self.upload_host = upload_host
        self.trusted_source_cas = list(trusted_source_cas)
        self.requests = []
        self.violations = []
        self.faults = []
        self.connection_ids = itertools.count(1)
        self._host = host
        self._requested_port = port
        self._cert_dir = cert_dir
        self._owned_cert_dir = None
        self._servers = []
        self._stopping = threading.Event()  # wakes stalled transfers and ends PULLs at stop()
        self.ca = trustme.CA()
        self._log_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------

    def start(self):
        if self._cert_dir is None:
            self._owned_cert_dir = tempfile.mkdtemp(prefix="vcenter-simulator-")
            self._cert_dir = self._owned_cert_dir
        self.ca_file = os.path.join(self._cert_dir, "simulator-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        self._stopping.clear()
        api = serve(self, self._host, self._requested_port, self.ca.issue_cert(*self.cert_names), "api")
        self._servers.append(api)
        self.port = self.upload_server_port = api.server_address[1]
        if self.upload_port != "same":
            # Its own certificate, from the same CA: a client that trusts the simulator's CA trusts both.
            port = 0 if self.upload_port == "separate" else self.upload_port
            upload = serve(self, self._host, port, self.ca.issue_cert(*self.cert_names), "upload")
            self._servers.append(upload)
            self.upload_server_port = upload.server_address[1]
        return self

    def stop(self):
        self._stopping.set()
        while self._servers:
            server = self._servers.pop()
            server.shutdown()
            server.server_close()
        self.state.close()
        if self._owned_cert_dir:
            for name in os.listdir(self._owned_cert_dir):
                os.unlink(os.path.join(self._owned_cert_dir, name))
            os.rmdir(self._owned_cert_dir)
            self._owned_cert_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def host(self):
        return self._host

    @property
    def url(self):
        return self._base_url(self._host, self.port)

    @property
    def upload_url(self):
        """Scheme, host and port of upload and download URIs: the API's unless they have their own port or host."""
        return self._base_url(self.upload_host or self._host, self.upload_server_port)

    @staticmethod
    def _base_url(host, port):
        host = "[%s]" % host if ":" in host else host
        return "https://%s:%d" % (host, port)

    # -- test controls ---------------------------------------------------------

    def inject_fault(self, **kwargs):
        """Misbehave for matching requests; see ``Fault`` for the arguments."""
        fault = Fault(**kwargs)
        with self._log_lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self):
        with self._log_lock:
            del self.faults[:]

    def take_violations(self, kind):
        """Remove and return the violations of one kind ("request", "response", "wire"), for a test that provokes them."""
        with self._log_lock:
            taken = [violation for violation in self.violations if violation.startswith(kind + " ")]
            self.violations[:] = [violation for violation in self.violations if violation not in taken]
        return taken

    def clear_log(self):
        with self._log_lock:
            del self.requests[:]

    def calls(self, method=None, route=None):
        """Logged requests, optionally only those of one method and/or route handler name."""
        with self._log_lock:
            return [
                entry for entry in self.requests
                if (method is None or entry["method"] == method) and (route is None or entry["route"] == route)
            ]

    @property
    def active_tokens(self):
        with self.state.lock:
            return dict(self.state.tokens)

    def upload_uri(self, update_session_id, file_name):
        """The upload URI the session's PUSH file ``file_name`` has now (its ``upload_endpoint.uri``)."""
        with self.state.lock:
            return self.state.update_sessions[update_session_id]["files"][file_name]["upload_uri"]

    def session_file(self, update_session_id, file_name):
        """A copy of the simulator's record of a session file (status, bytes_transferred, path, ...)."""
        with self.state.lock:
            return dict(self.state.update_sessions[update_session_id]["files"][file_name])

    def download_session(self, download_session_id):
        """A copy of the simulator's record of a download session; its ``files`` are copies too (status,
        bytes_transferred, token, uri, path, ...)."""
        with self.state.lock:
            session = dict(self.state.download_sessions[download_session_id])
            session["files"] = {name: dict(record) for name, record in session["files"].items()}
            return session
