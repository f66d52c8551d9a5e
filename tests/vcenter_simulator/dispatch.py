# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request handling: routing, authentication, faults, spec validation of bodies, and the controls."""

import json
import time
from urllib.parse import parse_qs, unquote, urlsplit

from .faults import apply_fault, take_fault
from .httpd import hang_up, send
from .routes import ROUTES, UPLOAD_PREFIX
from .vapi import CLIENT_TOKEN_HEADER, VapiError, invalid_argument


class Dispatcher:
    """Mixed into the simulator: turns one HTTP request into a logged, validated operation call."""

    def handle(self, handler, method):
        split = urlsplit(handler.path)
        server = handler.server.role
        transfer = split.path.startswith(UPLOAD_PREFIX)  # a GET there downloads, anything else uploads
        download = transfer and method == "GET"
        length = 0 if transfer else int(handler.headers.get("Content-Length") or 0)  # uploads are streamed
        raw_body = handler.rfile.read(length) if length else b""
        if split.path.startswith("/_simulator/") and server == "api":
            self._control(handler, method, split.path, raw_body)
            return
        query = {key: values[-1] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
        entry = {
            "method": method,
            "path": split.path,
            "query": query,
            "raw_body": raw_body,
            "body": None,
            "route": ("download" if download else "upload") if transfer else None,
            "path_params": {},
            "status": None,
            "connection": handler.connection_id,
            "authenticated": False,
            "time": time.time(),
            "server": server,
            "session_header": "vmware-api-session-id" in handler.headers,
            # What was presented, for tests of where credentials go (two simulators as two vCenters).
            "session_token_sent": handler.headers.get("vmware-api-session-id"),
            "authorization_sent": handler.headers.get("Authorization"),
            "client_token": handler.headers.get(CLIENT_TOKEN_HEADER),
        }
        with self._log_lock:
            self.requests.append(entry)
            fault = take_fault(self.faults, method, split.path)
        if download:
            self._download(handler, entry, fault)
            return
        if transfer:
            self._upload(handler, method, entry, fault)
            return
        if server != "api":
            entry["status"] = 404
            send(handler, 404, b"", None, {})
            return
        route, match = self._route(method, split.path, query)
        if route is not None:  # a fault may answer it, but the client sent it all the same
            self._check_wire(route, method, split.path, query, handler.headers, raw_body)
        if fault is not None and not fault.drop_after:
            entry["route"] = "fault"
            if apply_fault(self.state, handler, fault, entry):
                return
        status, body = self._dispatch(handler, route, match, query, raw_body, entry)
        entry["status"] = status
        if fault is not None and fault.drop_after:  # done, but the answer is lost
            hang_up(handler, entry, "dropped after %s" % status)
            return
        payload = b"" if body is None else json.dumps(body).encode()
        send(handler, status, payload, "application/json" if payload else None, {})

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
            body = {"update_sessions": sorted(self.state.update_sessions),
                    "download_sessions": sorted(self.state.download_sessions)}
        else:
            send(handler, 404, b"", None, {})
            return
        send(handler, 200, json.dumps(body).encode(), "application/json", {})

    def _dispatch(self, handler, route, match, query, raw_body, entry):
        if route is None:
            return 404, VapiError(404, "NOT_FOUND", "No operation %s %s." % (entry["method"], entry["path"]),
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
        for route in ROUTES:
            if route.accepts(method, query):
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

    def _check_wire(self, route, method, path, query, headers, raw_body):
        """The request against each release's bindings metadata (wire.py); a misfit is a violation."""
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            return  # _request_body names it
        for misfit in self.wire.misfits(route.operation, method, path, query, list(headers.keys()), body):
            self._violation("wire", route, misfit)

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
