# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""HTTP client for the vSphere Automation REST API (``/api``).

It knows nothing about Ansible: it raises the exceptions of ``errors`` and
leaves reporting to the caller. Use it as a context manager so the API
session is always logged out::

    with VSphereClient("vc.example.com", "user", "secret") as client:
        client.request("GET", api_path("/api/content/library/item/update-session", sid),
                       operation="get update session")

Transient faults are retried by urllib3's ``Retry`` mounted on the session;
see ``VSphereClient._retry_for`` for which calls may be sent again. ``upload`` streams a
file to an upload endpoint vCenter handed out, ``download`` opens one from a download endpoint; neither
retries: their callers decide what a broken transfer means.
"""

import base64
import os
import re
import time
from urllib.parse import urlencode

try:
    import requests
    import requests.exceptions
    from urllib3.exceptions import HTTPError as Urllib3Error
except ImportError:
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError, AuthenticationError, InvalidOptionError, TransportError, VSphereContentError,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import (
    _excerpt, describe_vapi_error, quiet_insecure_warnings, redact, transport_message,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.retry import (
    _CallTimeout, _seconds, call_retry,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.tls import (
    SharedContext,
    SharedContextAdapter,
    forget_tls_errors,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import build_base_url, build_proxy_url, origin

SESSION_PATH = "/api/session"
SESSION_HEADER = "vmware-api-session-id"
# Creates carry their idempotency token in this header (docs/wire-format.md: not ?client_token=).
CLIENT_TOKEN_HEADER = "Client-Token"
USER_AGENT = "ansible-collection-vsphere.content"
_SESSION_TOKEN = re.compile(r"^[\x21-\x7e]+$")


class VSphereClient:
    """One API session over one ``requests.Session``; reuses connections, always logs out.

    With ``session_token`` it uses that API session and neither logs in nor logs
    out; only when vCenter rejects the token does it log in, with the username
    and password if it has them, and that session it logs out.

    After the context exits, ``logout_failure`` holds a (redacted) sentence when
    logging out failed; callers may warn with it.
    """

    def __init__(self, hostname, username=None, password=None, port=443, validate_certs=True, request_timeout=60.0,
                 ca_path=None, proxy_host=None, proxy_port=None, proxy_protocol="http",
                 retries=3, retry_backoff=1.0, session_token=None):
        self.base_url, self.host_label = build_base_url(hostname, port)
        if session_token is not None and not _SESSION_TOKEN.match(session_token):
            raise InvalidOptionError("session_token is not an API session token")
        if not session_token and not (username and password is not None):
            raise InvalidOptionError("username and password are required unless session_token is given")
        self.request_timeout = _seconds(request_timeout, "request_timeout")
        self.retry_backoff = _seconds(retry_backoff, "retry_backoff", allow_zero=True)
        if retries is None or retries < 0:
            raise InvalidOptionError("retries must be 0 or more")
        self.retries = int(retries)
        if validate_certs and ca_path and not os.path.exists(ca_path):
            raise InvalidOptionError("ca_path %s does not exist" % ca_path)
        self.username = username or ""
        self._password = password or ""
        # Built here, not by requests: requests encodes Basic credentials as latin-1 only.
        self._authorization = "Basic " + base64.b64encode(
            ("%s:%s" % (self.username, self._password)).encode("utf-8")).decode("ascii")
        self._has_credentials = bool(username) and password is not None
        self.validate_certs = validate_certs
        self.ca_path = ca_path if validate_certs else None
        proxy_url = build_proxy_url(proxy_host, proxy_port, proxy_protocol)
        self._proxies = {"https": proxy_url} if proxy_url else {}
        self.logout_failure = None
        self._http = None
        self._tls = None
        self._adapter = None
        self._transfer_adapter = None
        self._token = session_token or None
        # Only a session this client logged in to is its to log out.
        self._owns_session = False
        self._issued_tokens = [session_token] if session_token else []

    # -- lifecycle -----------------------------------------------------------

    def __enter__(self):
        try:
            if self._token is None:
                self.login()
            else:
                self._open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, exc_type, exc_value, tb):
        self.close()
        return False

    @property
    def session_token(self):
        return self._token

    def _open(self):
        if self._http is None:
            self._http = requests.Session()
            self._http.headers["User-Agent"] = USER_AGENT
            self._tls = SharedContext(self.validate_certs)
            self._adapter = SharedContextAdapter(self._tls)
            self._http.mount("https://", self._adapter)

    def login(self):
        self._open()
        response = self._send("POST", SESSION_PATH, "log in", authorization=self._authorization)
        if response.status_code == 401:
            raise AuthenticationError(
                "authentication failed for user %s at %s" % (self.username, self.host_label),
                status=401,
            )
        self._raise_for_status("log in", response)
        try:
            token = response.json()
        except ValueError:
            token = None
        if not isinstance(token, str) or not _SESSION_TOKEN.match(token):
            raise ApiError("log in failed: %s did not return a usable session token" % self.host_label,
                           response.status_code)
        self._issued_tokens.append(token)
        self._token = token
        self._owns_session = True

    def detach(self):
        """Leave the API session logged in when the client closes (for a caller that hands the token on)."""
        self._owns_session = False
        return self._token

    def end_session(self, check_mode=False):
        """Log out the API session, whoever opened it; False when it had ended already (HTTP 401).

        In check mode only ask whether it is still logged in.
        """
        operation = "check the API session" if check_mode else "log out"
        response = self._send("GET" if check_mode else "DELETE", SESSION_PATH, operation, authenticated=True)
        if response.status_code == 401:
            return False
        self._raise_for_status(operation, response)
        return True

    def logout(self):
        """End the API session this client logged in to. A failure is kept in ``logout_failure``,
        never raised: it must not hide the real outcome."""
        if self._token is None or not self._owns_session:
            return
        try:
            self.end_session()
        except VSphereContentError as exc:
            self.logout_failure = exc.msg
        finally:
            self._token = None
            self._owns_session = False

    def close(self):
        try:
            self.logout()
        finally:
            if self._http is not None:
                self._http.close()
                self._http = None
            if self._transfer_adapter is not None:
                self._transfer_adapter.close()
                self._transfer_adapter = None

    def _renew_session(self, operation):
        """The API session was rejected (expired or revoked): end it and log in anew.

        The one place that handles a 401 on an authenticated call. A rejected
        session_token is replaced by a login only when there are credentials.
        """
        if not self._owns_session and not self._has_credentials:
            raise AuthenticationError(
                "%s failed: session token rejected by %s (HTTP 401); log in again, or give username and password"
                % (operation, self.host_label),
                status=401,
            )
        self.logout()
        self.login()

    # -- requests ------------------------------------------------------------

    def request(self, method, path, operation, params=None, body=None, client_token=None):
        """Send an authenticated call; return the decoded JSON body, or None when there is none.

        ``client_token`` goes in the ``Client-Token`` header of a create, which may then be resent.
        A 401 (the session expired) logs in again once and repeats the call.
        """
        if self._token is None:
            raise RuntimeError("VSphereClient.request() called before login()")

        def send():
            return self._send(method, path, operation, params, body, client_token=client_token, authenticated=True)

        response = send()
        if response.status_code == 401:
            self._renew_session(operation)
            response = send()
            if response.status_code == 401:
                raise AuthenticationError(
                    "%s failed: %s rejected the API session (HTTP 401) again right after a new login"
                    % (operation, self.host_label),
                    status=401,
                )
        self._raise_for_status(operation, response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                "%s failed: HTTP %d from %s with a body that is not JSON: %s"
                % (operation, response.status_code, self._origin(response), _excerpt(self._redact(response.text))),
                response.status_code,
            )

    def _retry_for(self, method, path, client_token, deadline):
        """The Retry for one call (see ``call_retry``): login and creates with a client token may be resent."""
        resend_post = path == SESSION_PATH or bool(client_token)
        return call_retry(method, resend_post, self.retries, self.retry_backoff, deadline)

    def _send(self, method, path, operation, params=None, body=None, client_token=None, authorization=None,
              authenticated=False):
        url = self.base_url + path
        if params:
            url += "?" + urlencode(params)
        headers = {"Accept": "application/json"}
        if authorization:
            headers["Authorization"] = authorization
        if authenticated:
            headers[SESSION_HEADER] = self._token
        if client_token:
            headers[CLIENT_TOKEN_HEADER] = client_token
        prepared = self._http.prepare_request(requests.Request(method, url, headers=headers, json=body))
        # requests re-quotes URLs and unquotes %2E; keep the path exactly as built.
        prepared.url = url
        verify, proxies, cert = self._connection_settings(url)
        deadline = time.monotonic() + self.request_timeout
        # One client serves one module run from one thread, so the adapter's Retry can be per call.
        self._adapter.max_retries = self._retry_for(method, path, client_token, deadline)
        try:
            with quiet_insecure_warnings():
                return self._http.send(prepared, verify=verify, proxies=proxies, cert=cert,
                                       timeout=_CallTimeout(deadline), allow_redirects=False)
        except (requests.exceptions.RequestException, Urllib3Error, OSError) as exc:
            forget_tls_errors()
            raise TransportError(self._transport_message(operation, exc))

    def upload(self, url, stream, size, operation, method="PUT", on_progress=None, chunk_size=None):
        """Stream exactly ``size`` bytes from ``stream`` to ``url`` (an ``upload_endpoint.uri``); return the 2xx response.

        ``stream`` is a binary file object or an iterable of bytes. The body goes out in
        ``chunk_size`` pieces (default ``upload.DEFAULT_CHUNK_SIZE``) with a Content-Length, and
        ``on_progress(bytes_sent)`` is called after each; it may make API calls. ``request_timeout``
        bounds each wait (connecting, one write, the answer), not the whole upload. Raises ApiError
        for a non-2xx answer and TransportError for no usable answer, both with ``bytes_sent`` and
        ``retryable`` in details.
        """
        # Imported here: a module run that uploads nothing does not compile it (docs/performance.md).
        from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client import upload

        target, label = upload.transfer_origin(url, operation)
        body = upload.StreamBody(stream, size, chunk_size or upload.DEFAULT_CHUNK_SIZE, on_progress)
        adapter = self._transfer()
        prepared = upload.prepare(method, url, body, self._transfer_headers(target))
        return upload.send(adapter, prepared, body, operation, label, self.request_timeout,
                           self._connection_settings(url, target[0]), self.secrets() + upload.url_secrets(url))

    def download(self, url, operation, offset=0):
        """Send the GET of ``url`` (a ``download_endpoint.uri``), from byte ``offset`` on; return its
        ``download.DownloadStream`` (a context manager) once the answer's headers are in.

        An answer may start at 0 although ``offset`` was asked (the endpoint ignored the Range). Raises
        ApiError for a status other than 200 and 206, and TransportError for no usable answer; both carry
        ``retryable`` in details. ``request_timeout`` bounds each wait, not the whole download.
        """
        # Imported here, as upload is: a run that downloads nothing does not compile it.
        from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client import download, upload

        target, label = upload.transfer_origin(url, operation, "download")
        adapter = self._transfer()
        prepared = download.prepare(url, offset, self._transfer_headers(target))
        return download.open_stream(adapter, prepared, offset, operation, label, self.request_timeout,
                                    self._connection_settings(url, target[0]), self.secrets() + upload.url_secrets(url))

    def _transfer(self):
        """The adapter of uploads and downloads: its own connection pool, without retries. A transfer never takes
        the connection the API calls made meanwhile (keep-alive) need, and a body sent in part cannot be resent."""
        self._open()
        if self._transfer_adapter is None:
            self._transfer_adapter = SharedContextAdapter(self._tls, max_retries=0)
        return self._transfer_adapter

    def _transfer_headers(self, target):
        """The headers of a transfer to ``target`` (an origin). The API session goes only to the vCenter the user
        named; a transfer URL on another host or port is a credential of its own."""
        headers = dict(self._http.headers)
        if self._token and target == origin(self.base_url):
            headers[SESSION_HEADER] = self._token
        return headers

    def _connection_settings(self, url, scheme="https"):
        """``(verify, proxies, cert)`` for a call to ``url``: the same TLS and proxy rules for every call."""
        proxies = {scheme: self._proxies["https"]} if self._proxies else {}
        # Honours HTTPS_PROXY and NO_PROXY unless proxy_host is set, and REQUESTS_CA_BUNDLE.
        settings = self._http.merge_environment_settings(url, proxies, None, True, None)
        # verify goes on every call: REQUESTS_CA_BUNDLE must not override validate_certs=false.
        verify = (self.ca_path or settings["verify"]) if self.validate_certs else False
        return verify, settings["proxies"], settings["cert"]

    def _raise_for_status(self, operation, response):
        if response.status_code < 300:
            return
        # Redacted before it is cut to an excerpt, which could otherwise keep part of a secret.
        sentence, error_type, texts = describe_vapi_error(
            operation, response.status_code, self._redact(response.text), origin=self._origin(response)
        )
        raise ApiError(sentence, response.status_code, error_type, texts)

    def _origin(self, response):
        """Who answered, and after how many tries when urllib3 retried."""
        history = getattr(getattr(response.raw, "retries", None), "history", None) or ()
        if history:
            return "%s after %d attempts" % (self.host_label, len(history) + 1)
        return self.host_label

    # -- messages ------------------------------------------------------------

    def _transport_message(self, operation, exc):
        return transport_message(operation, exc, self.host_label, self.request_timeout, self.secrets())

    def secrets(self):
        """What no message may show: the password, the Basic credentials, every session token used."""
        return [self._password, self._authorization.split(" ", 1)[1]] + self._issued_tokens

    def _redact(self, text):
        return redact(text, self.secrets())
