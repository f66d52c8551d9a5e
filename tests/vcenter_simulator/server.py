"""A stateful vCenter stand-in for the session and Content Library update-session APIs.

It serves HTTPS on loopback with a certificate from its own CA, behaves as the
official API description says vCenter behaves, validates every request body it
accepts and every response body it sends against that description, and keeps a
log of what it received. Tests drive it in-process; ``python -m
vcenter_simulator`` runs it on its own.
"""

import base64
import binascii
import copy
import datetime
import http.server
import itertools
import json
import os
import re
import secrets
import socket
import ssl
import sys
import tempfile
import threading
import time
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .spec import ApiSpec

DEFAULT_USERS = {"administrator@vsphere.local": "VMware1!"}
UPDATE_SESSIONS = "/api/content/library/item/update-session"
# vCenter's default update session expiry ("configurable ... The default is five minutes").
SESSION_EXPIRY_SECONDS = 300.0
WARNING_MESSAGES = {
    "SELF_SIGNED_CERTIFICATE": "The certificate of the content is self-signed.",
    "EXPIRED_CERTIFICATE": "The certificate of the content has expired.",
    "NOT_YET_VALID_CERTIFICATE": "The certificate of the content is not yet valid.",
    "UNTRUSTED_CERTIFICATE": "The certificate of the content is not trusted.",
}
# What a session takes from its library item unless told otherwise.
SESSION_SETTINGS = ("preview_state", "preview_warnings", "preview_delay", "completion_delay", "signed")
# Model fields the spec marks "not used for the update operation".
NOT_USED_FOR_UPDATE = (
    "id", "library_item_id", "library_item_content_version", "error_message",
    "client_progress", "state", "expiration_time", "preview_info",
)


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _timestamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def _message(message_id, text, *args):
    return {"id": message_id, "default_message": text, "args": [str(a) for a in args]}


def _check_warning_types(warning_types):
    for warning_type in warning_types:
        if warning_type not in WARNING_MESSAGES:
            raise ValueError("unknown warning type %r" % warning_type)


class VapiError(Exception):
    """An error answer with a vAPI error body."""

    def __init__(self, status, error_type, text, message_id=None):
        super().__init__(text)
        self.status = status
        self.body = {
            "error_type": error_type,
            "messages": [_message(message_id or "vapi.std.errors.%s" % error_type.lower(), text)],
        }


def not_found(kind, identifier):
    return VapiError(404, "NOT_FOUND", "%s with identifier '%s' does not exist." % (kind, identifier))


def invalid_argument(text):
    return VapiError(400, "INVALID_ARGUMENT", text)


def not_allowed(session_id, state, operation):
    return VapiError(
        400, "NOT_ALLOWED_IN_CURRENT_STATE",
        "Cannot %s update session '%s' in state %s; it must be ACTIVE." % (operation, session_id, state),
    )


class Fault:
    """An injected misbehaviour for matching requests: a status and body, a delay, or a dropped connection.

    ``body`` may be a callable taking the request headers, to echo them back as some proxies do.
    ``times`` is how many matching requests it applies to; -1 means all of them. ``after`` lets
    that many matching requests through untouched first. ``drop`` hangs up instead of answering;
    ``drop_after`` first carries the request out, so the client never learns that it succeeded
    (a lost response). ``expire_session`` revokes the request's API session (as vCenter does
    when a session times out) and then answers normally. ``truncate`` sends the status, the
    headers and half the body, then hangs up.
    """

    def __init__(self, method=None, path=None, status=None, body=b"", content_type="text/html",
                 headers=None, delay=0.0, drop=False, drop_after=False, times=1, after=0,
                 expire_session=False, truncate=False):
        self.method = method
        self.path = re.compile(path) if path else None
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}
        self.delay = delay
        self.drop = drop
        self.drop_after = drop_after
        self.remaining = times
        self.after = after
        self.expire_session = expire_session
        self.truncate = truncate
        self.applied = 0

    def matches(self, method, path):
        return (
            self.remaining != 0
            and (self.method is None or self.method == method)
            and (self.path is None or self.path.search(path) is not None)
        )


class Route:
    def __init__(self, method, pattern, handler, spec_path, action=None, authenticated=True):
        self.method = method
        self.pattern = re.compile("^%s$" % pattern)
        self.handler = handler
        self.spec_path = spec_path
        self.action = action
        self.authenticated = authenticated


def _routes():
    one = UPDATE_SESSIONS + "/(?P<update_session_id>[^/]+)"
    one_spec = UPDATE_SESSIONS + "/{update_session_id}"
    routes = [
        Route("POST", "/api/session", "login", "/api/session", authenticated=False),
        Route("GET", "/api/session", "session_info", "/api/session"),
        Route("DELETE", "/api/session", "logout", "/api/session"),
        Route("GET", UPDATE_SESSIONS, "list_sessions", UPDATE_SESSIONS),
        Route("POST", UPDATE_SESSIONS, "create_session", UPDATE_SESSIONS),
        Route("GET", one, "get_session", one_spec),
        Route("PATCH", one, "update_session", one_spec),
        Route("DELETE", one, "delete_session", one_spec),
    ]
    for action in ("cancel", "complete", "fail", "keep-alive"):
        routes.append(Route("POST", one, "%s_session" % action.replace("-", "_"),
                            "%s?action=%s" % (one_spec, action), action=action))
    return routes


ROUTES = _routes()


class SimulatorState:
    """Users, API sessions, library items and update sessions; every change under one lock.

    Time moves the state on, as on vCenter: a preview is PREPARING until its
    delay has passed, a completion the server finishes in the background takes
    its delay, and an ACTIVE session idle past its expiration time is deleted.
    ``refresh()`` applies all three; every request calls it first.
    """

    def __init__(self, users=None, session_expiry=SESSION_EXPIRY_SECONDS):
        self.lock = threading.RLock()
        self.session_expiry = datetime.timedelta(seconds=session_expiry)
        self._signer = None
        self.users = dict(users or DEFAULT_USERS)
        self.tokens = {}
        self.issued_tokens = []
        self.items = {}
        self.update_sessions = {}
        self.client_tokens = {}

    # -- seeding ---------------------------------------------------------------

    def add_library_item(self, item_id=None, library_id="library-1", content_version="1",
                         preview_state="AVAILABLE", preview_warnings=(), preview_delay=0.0,
                         completion_delay=0.0, signed=False):
        """A library item; update sessions created on it get this preview and these delays."""
        item_id = item_id or str(uuid.uuid4())
        _check_warning_types(preview_warnings)
        with self.lock:
            self.items[item_id] = {
                "library_id": library_id,
                "content_version": str(content_version),
                "preview_state": preview_state,
                "preview_warnings": list(preview_warnings),
                "preview_delay": float(preview_delay),
                "completion_delay": float(completion_delay),
                "signed": bool(signed),
            }
        return item_id

    def add_update_session(self, session_id=None, library_item_id=None, state="ACTIVE", warning_behavior=None,
                           client_progress=0, owner=None, error_message=None, **item_overrides):
        """An update session; preview and delays come from its item unless ``item_overrides`` name them."""
        session_id = session_id or str(uuid.uuid4())
        with self.lock:
            if library_item_id is None or library_item_id not in self.items:
                library_item_id = self.add_library_item(library_item_id)
            settings = dict(self.items[library_item_id])
            unknown = set(item_overrides) - set(SESSION_SETTINGS)
            if unknown:
                raise TypeError("unknown update session settings: %s" % ", ".join(sorted(unknown)))
            settings.update(item_overrides)
            _check_warning_types(settings["preview_warnings"])
            now = _now()
            self.update_sessions[session_id] = {
                "library_item_id": library_item_id,
                "library_item_content_version": self.items[library_item_id]["content_version"],
                "state": state,
                "client_progress": client_progress,
                "expiration_time": now + self.session_expiry,
                "warning_behavior": copy.deepcopy(list(warning_behavior or [])),
                "preview_state": settings["preview_state"],
                "preview_warnings": list(settings["preview_warnings"]),
                "preview_ready_at": now + datetime.timedelta(seconds=float(settings["preview_delay"])),
                "completion_delay": float(settings["completion_delay"]),
                "signed": bool(settings["signed"]),
                "completion": None,
                "error_message": error_message,
                "owner": owner or next(iter(self.users)),
            }
        return session_id

    def seed(self, data):
        """Seed from a plain document (the CLI's --seed file): users, library_items, update_sessions.

        Items and sessions take the keyword arguments of ``add_library_item`` and
        ``add_update_session``, with ``id`` for the identifier.
        """
        with self.lock:
            if "users" in data:
                self.users = dict(data["users"])
            for item in data.get("library_items", []):
                item = dict(item)
                self.add_library_item(item.pop("id", None), **item)
            for session in data.get("update_sessions", []):
                session = dict(session)
                self.add_update_session(session.pop("id", None), **session)

    # -- time ------------------------------------------------------------------

    def refresh(self, now=None):
        """Finish completions whose delay has passed, and delete expired ACTIVE sessions."""
        now = now or _now()
        with self.lock:
            for session_id, session in list(self.update_sessions.items()):
                if session["state"] != "ACTIVE":
                    continue
                if session["completion"] is not None and now >= session["completion"]["at"]:
                    self._finish_completion(session)
                elif now > session["expiration_time"]:
                    # "the update session will expire, then be deleted"
                    del self.update_sessions[session_id]

    def begin_completion(self, session_id):
        """Decide the outcome now, from what is ignored now; apply it at once or after the delay."""
        session = self.update_sessions[session_id]
        if session["completion"] is not None:
            return  # already completing in the background
        raised = []
        if session["preview_state"] == "AVAILABLE":
            ignored = self.ignored_types(session_id)
            raised = [w for w in session["preview_warnings"] if w not in ignored]
        session["completion"] = {
            "at": _now() + datetime.timedelta(seconds=session["completion_delay"]),
            "raised": raised,
        }
        if session["completion_delay"] <= 0:
            self._finish_completion(session)

    def _finish_completion(self, session):
        raised = session["completion"]["raised"]
        if raised:
            # "Any warning which is raised by session preview but not ignored by the client will,
            # by default, fail the update session."
            session["state"] = "ERROR"
            session["error_message"] = _message(
                "com.vmware.content.updatesession.WarningsNotIgnored",
                "The update session raised warnings that were not ignored: %s." % ", ".join(raised),
                *raised
            )
        else:
            session["state"] = "DONE"
            session["client_progress"] = 100
            item = self.items[session["library_item_id"]]
            item["content_version"] = str(int(item["content_version"]) + 1)

    def certificate_info(self):
        """The certificate of signed content: one self-signed signer per simulator."""
        if self._signer is None:
            ca = trustme.CA(organization_name="Simulated Content Signer")
            pem = ca.cert_pem.bytes().decode("ascii")
            cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
            der = cert.public_bytes(serialization.Encoding.DER)
            self._signer = {
                "certificate_info": {
                    "issuer": cert.issuer.rfc4514_string(),
                    "subject": cert.subject.rfc4514_string(),
                    "self_signed": cert.issuer == cert.subject,
                    "x509": pem,
                },
                "cert_chain": [base64.b64encode(der).decode("ascii")],
            }
        return copy.deepcopy(self._signer)

    # -- views -----------------------------------------------------------------

    def model(self, session_id):
        """The UpdateSessionModel as GET returns it: no id, optional fields only when set."""
        session = self.update_sessions[session_id]
        model = {
            "library_item_id": session["library_item_id"],
            "library_item_content_version": session["library_item_content_version"],
            "state": session["state"],
            "client_progress": session["client_progress"],
            "expiration_time": _timestamp(session["expiration_time"]),
        }
        if session["warning_behavior"]:
            model["warning_behavior"] = copy.deepcopy(session["warning_behavior"])
        if session["state"] == "ACTIVE":
            preview_state = session["preview_state"]
            if preview_state in ("AVAILABLE", "NOT_APPLICABLE") and _now() < session["preview_ready_at"]:
                preview_state = "PREPARING"
            preview = {"state": preview_state}
            if session["signed"] and preview_state != "PREPARING":
                preview.update(self.certificate_info())
            if preview_state == "AVAILABLE":
                ignored = self.ignored_types(session_id)
                preview["warnings"] = [
                    {
                        "type": warning_type,
                        "message": _message("com.vmware.content.updatesession.%s" % warning_type,
                                            WARNING_MESSAGES[warning_type]),
                        "ignored": warning_type in ignored,
                    }
                    for warning_type in session["preview_warnings"]
                ]
            model["preview_info"] = preview
        if session["state"] == "ERROR" and session["error_message"]:
            model["error_message"] = copy.deepcopy(session["error_message"])
        return model

    def ignored_types(self, session_id):
        behavior = {}
        for entry in self.update_sessions[session_id]["warning_behavior"]:
            behavior[entry["type"]] = entry["ignored"]
        return {warning_type for warning_type, ignored in behavior.items() if ignored}


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

    def __init__(self, address, simulator, family):
        self.address_family = family
        self.simulator = simulator
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):
        # Clients that time out or hang up mid-answer are part of the tests, not server bugs.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, socket.timeout)):
            return
        super().handle_error(request, client_address)


class VCenterSimulator:
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

    # -- request handling ------------------------------------------------------

    def handle(self, handler, method):
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw_body = handler.rfile.read(length) if length else b""
        if split.path.startswith("/_simulator/"):
            self._control(handler, method, split.path, raw_body)
            return
        query = {key: values[-1] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
        entry = {
            "method": method,
            "path": split.path,
            "query": query,
            "raw_body": raw_body,
            "body": None,
            "route": None,
            "path_params": {},
            "status": None,
            "connection": handler.connection_id,
            "authenticated": False,
            "time": time.time(),
        }
        with self._log_lock:
            self.requests.append(entry)
            fault = next((f for f in self.faults if f.matches(method, split.path)), None)
            if fault is not None and fault.after > 0:
                fault.after -= 1
                fault = None
            if fault is not None:
                fault.applied += 1
                if fault.remaining > 0:
                    fault.remaining -= 1
        if fault is not None and not fault.drop_after:
            entry["route"] = "fault"
            if self._apply_fault(handler, fault, entry):
                return
        status, body = self._dispatch(handler, method, split.path, query, raw_body, entry)
        entry["status"] = status
        if fault is not None and fault.drop_after:  # done, but the answer is lost
            self._hang_up(handler, entry, "dropped after %s" % status)
            return
        payload = b"" if body is None else json.dumps(body).encode()
        self._send(handler, status, payload, "application/json" if payload else None, {})

    def _apply_fault(self, handler, fault, entry):
        """Misbehave as ``fault`` says; True when the answer (or the hang-up) has been sent."""
        if fault.delay:
            time.sleep(fault.delay)
        if fault.expire_session:
            with self.state.lock:
                self.state.tokens.pop(handler.headers.get("vmware-api-session-id"), None)
        if fault.drop:
            self._hang_up(handler, entry, "dropped")
            return True
        if fault.status is None:
            return False
        entry["status"] = fault.status
        body = fault.body(handler.headers) if callable(fault.body) else fault.body
        body = body.encode() if isinstance(body, str) else body
        if not fault.truncate:
            self._send(handler, fault.status, body, fault.content_type, fault.headers)
            return True
        handler.send_response(fault.status)
        handler.send_header("Content-Type", fault.content_type or "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[:len(body) // 2])
        handler.wfile.flush()
        self._hang_up(handler, entry, "truncated")
        return True

    @staticmethod
    def _hang_up(handler, entry, status):
        # Logged first: the client may look at the log as soon as the connection closes.
        entry["status"] = status
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    def _control(self, handler, method, path, raw_body):
        """Controls for a simulator in another process; never part of the request log."""
        if method == "GET" and path == "/_simulator/requests":
            with self._log_lock:
                body = [dict(entry, raw_body=entry["raw_body"].decode("utf-8", "replace")) for entry in self.requests]
        elif method == "GET" and path == "/_simulator/violations":
            with self._log_lock:
                body = list(self.violations)
        elif method == "POST" and path == "/_simulator/seed":
            self.state.seed(json.loads(raw_body or b"{}"))
            body = {"update_sessions": sorted(self.state.update_sessions)}
        else:
            self._send(handler, 404, b"", None, {})
            return
        self._send(handler, 200, json.dumps(body).encode(), "application/json", {})

    def _dispatch(self, handler, method, path, query, raw_body, entry):
        route, match = self._route(method, path, query)
        if route is None:
            return 404, VapiError(404, "NOT_FOUND", "No operation %s %s." % (method, path),
                                  "vapi.method.input.invalid").body
        entry["route"] = route.handler
        delay = self.latency + (self.login_latency if route.handler == "login" else 0.0)
        if delay:
            time.sleep(delay)
        entry["path_params"] = {key: unquote(value) for key, value in match.groupdict().items()}
        self.state.refresh()
        try:
            user = self._authenticate(handler, route)
            entry["authenticated"] = True
            body = self._request_body(route, raw_body, entry)
            with self.state.lock:
                status, response = getattr(self, "_op_" + route.handler)(
                    route=route, user=user, query=query, body=body, handler=handler, **entry["path_params"]
                )
        except VapiError as error:
            status, response = error.status, error.body
        self._check_response(route, status, response)
        return status, response

    def _route(self, method, path, query):
        action = query.get("action")
        for route in ROUTES:
            if route.method == method and route.action == action:
                match = route.pattern.match(path)
                if match:
                    return route, match
        return None, None

    def _authenticate(self, handler, route):
        if not route.authenticated:
            return None
        token = handler.headers.get("vmware-api-session-id")
        with self.state.lock:
            user = self.state.tokens.get(token) if token else None
        if user is None:
            raise VapiError(401, "UNAUTHENTICATED", "This method requires authentication.",
                            "vapi.method.authentication.required")
        return user

    def _request_body(self, route, raw_body, entry):
        schema, required = self.spec.request_schema(route.spec_path, route.method)
        if not raw_body:
            if required:
                self._violation("request", route, "a request body is required")
                raise invalid_argument("A request body is required.")
            return None
        try:
            body = json.loads(raw_body)
        except ValueError:
            self._violation("request", route, "the body is not JSON")
            raise invalid_argument("The request body is not valid JSON.")
        entry["body"] = body
        if schema is None:
            self._violation("request", route, "the operation takes no body")
            raise invalid_argument("This operation takes no request body.")
        errors = self.spec.errors(schema, body)
        if errors:
            self._violation("request", route, "; ".join(errors))
            raise invalid_argument("Invalid request body: %s" % "; ".join(errors))
        return body

    def _check_response(self, route, status, body):
        declared, schema = self.spec.response_schema(route.spec_path, route.method, status)
        if not declared:
            self._violation("response", route, "status %d is not declared by the spec" % status)
        elif schema is None and body is not None:
            self._violation("response", route, "status %d must have no body" % status)
        elif schema is not None:
            errors = self.spec.errors(schema, body)
            if errors:
                self._violation("response", route, "; ".join(errors))

    def _violation(self, direction, route, text):
        with self._log_lock:
            self.violations.append("%s %s %s: %s" % (direction, route.method, route.spec_path, text))

    @staticmethod
    def _send(handler, status, payload, content_type, headers):
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if payload:
            handler.wfile.write(payload)

    # -- operations: /api/session ---------------------------------------------

    def _op_login(self, handler, **_):
        header = handler.headers.get("Authorization") or ""
        user = None
        if header.startswith("Basic "):
            try:
                name, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                name, password = None, None
            if name is not None and self.state.users.get(name) == password:
                user = name
        if user is None:
            raise VapiError(401, "UNAUTHENTICATED", "Authentication required.",
                            "com.vmware.vapi.endpoint.method.authentication.required")
        token = secrets.token_hex(16)
        self.state.tokens[token] = user
        self.state.issued_tokens.append(token)
        return 201, token

    def _op_session_info(self, user, **_):
        now = _timestamp(_now())
        return 200, {"user": user, "created_time": now, "last_accessed_time": now}

    def _op_logout(self, handler, **_):
        self.state.tokens.pop(handler.headers.get("vmware-api-session-id"), None)
        return 204, None

    # -- operations: update sessions ------------------------------------------

    def _session(self, update_session_id):
        if update_session_id not in self.state.update_sessions:
            raise not_found("Update session", update_session_id)
        return self.state.update_sessions[update_session_id]

    def _active_session(self, update_session_id, operation):
        session = self._session(update_session_id)
        if session["state"] != "ACTIVE":
            raise not_allowed(update_session_id, session["state"], operation)
        return session

    def _op_list_sessions(self, user, query, **_):
        item_id = query.get("library_item_id")
        if item_id is not None and item_id not in self.state.items:
            raise not_found("Library item", item_id)
        return 200, [
            session_id for session_id, session in self.state.update_sessions.items()
            if session["owner"] == user and (item_id is None or session["library_item_id"] == item_id)
        ]

    def _op_create_session(self, user, query, body, **_):
        body = body or {}
        item_id = body.get("library_item_id")
        if not item_id:
            raise invalid_argument("library_item_id must be provided to create an update session.")
        client_token = query.get("client_token")
        if client_token and client_token in self.state.client_tokens:
            return 201, self.state.client_tokens[client_token]
        if item_id not in self.state.items:
            raise not_found("Library item", item_id)
        busy = [sid for sid, s in self.state.update_sessions.items()
                if s["library_item_id"] == item_id and s["state"] == "ACTIVE"]
        if busy:
            raise VapiError(500, "RESOURCE_BUSY",
                            "Library item '%s' already has an active update session." % item_id)
        session_id = self.state.add_update_session(
            library_item_id=item_id, warning_behavior=body.get("warning_behavior"), owner=user,
        )
        if client_token:
            self.state.client_tokens[client_token] = session_id
        return 201, session_id

    def _op_get_session(self, update_session_id, **_):
        self._session(update_session_id)
        return 200, self.state.model(update_session_id)

    def _op_update_session(self, route, update_session_id, body, **_):
        session = self._session(update_session_id)
        body = body or {}
        unused = sorted(set(body) & set(NOT_USED_FOR_UPDATE))
        if unused:
            # vCenter ignores these, but a client that sends them misunderstands the API.
            self._violation("request", route, "fields not used for update: %s" % ", ".join(unused))
        if session["state"] != "ACTIVE":
            raise not_allowed(update_session_id, session["state"], "update")
        if body.get("warning_behavior") is not None:
            session["warning_behavior"] = copy.deepcopy(body["warning_behavior"])
            session["expiration_time"] = _now() + self.state.session_expiry
        return 204, None

    def _op_delete_session(self, update_session_id, **_):
        session = self._session(update_session_id)
        if session["state"] == "ACTIVE":
            raise not_allowed(update_session_id, session["state"], "delete")
        del self.state.update_sessions[update_session_id]
        return 204, None

    def _op_cancel_session(self, update_session_id, **_):
        self._active_session(update_session_id, "cancel")["state"] = "CANCELED"
        return 204, None

    def _op_complete_session(self, update_session_id, **_):
        self._active_session(update_session_id, "complete")
        self.state.begin_completion(update_session_id)
        return 204, None

    def _op_fail_session(self, update_session_id, body, **_):
        session = self._active_session(update_session_id, "fail")
        session["state"] = "ERROR"
        session["error_message"] = _message(
            "com.vmware.content.updatesession.ClientError", body["client_error_message"], body["client_error_message"]
        )
        return 204, None

    def _op_keep_alive_session(self, update_session_id, body, **_):
        session = self._active_session(update_session_id, "keep alive")
        progress = (body or {}).get("client_progress")
        if progress is not None:
            if not session["client_progress"] < progress <= 100:
                raise invalid_argument("client_progress must be greater than %d and at most 100."
                                       % session["client_progress"])
            session["client_progress"] = progress
        session["expiration_time"] = _now() + self.state.session_expiry
        return 204, None
