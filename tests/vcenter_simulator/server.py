"""A stateful vCenter stand-in for the session and Content Library update-session APIs.

It serves HTTPS on loopback with a certificate from its own CA, behaves as the
official API description says vCenter behaves, validates every request body it
accepts and every response body it sends against that description, and keeps a
log of what it received. Tests drive it in-process; ``python -m
vcenter_simulator`` runs it on its own.
"""

import itertools
import os
import socket
import ssl
import tempfile
import threading

import trustme

from .dispatch import Dispatcher
from .faults import Fault
from .httpd import _Server
from .operations import Operations
from .spec import ApiSpec
from .state import SimulatorState
from .vapi import SESSION_EXPIRY_SECONDS

__all__ = ["Fault", "SimulatorState", "VCenterSimulator"]


class VCenterSimulator(Dispatcher, Operations):
    """The simulator: start(), then point clients at ``host``/``port``; stop() when done."""

    def __init__(self, host="127.0.0.1", port=0, api_version="8.0.2", users=None, cert_dir=None,
                 session_expiry=SESSION_EXPIRY_SECONDS, cert_names=("127.0.0.1", "localhost", "::1"),
                 latency=0.0, login_latency=0.0):
        self.cert_names = tuple(cert_names)
        # Added to every API call, and on top of that to each login, so that timings resemble a real
        # vCenter, where a login's SSO token exchange costs hundreds of milliseconds.
        self.latency = latency
        self.login_latency = login_latency
        self.spec = ApiSpec(api_version)
        self.state = SimulatorState(users, session_expiry)
        self.requests = []
        self.violations = []
        self.faults = []
        self.connection_ids = itertools.count(1)
        self._host = host
        self._requested_port = port
        self._cert_dir = cert_dir
        self._owned_cert_dir = None
        self._server = None
        self._thread = None
        self.ca = trustme.CA()
        self._log_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------

    def start(self):
        if self._cert_dir is None:
            self._owned_cert_dir = tempfile.mkdtemp(prefix="vcenter-simulator-")
            self._cert_dir = self._owned_cert_dir
        self.ca_file = os.path.join(self._cert_dir, "simulator-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(*self.cert_names).configure_cert(context)
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        self._server = _Server((self._host, self._requested_port), self, family)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="vcenter-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
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
        host = "[%s]" % self._host if ":" in self._host else self._host
        return "https://%s:%d" % (host, self.port)

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
