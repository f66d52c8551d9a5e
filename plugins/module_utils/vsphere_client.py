# -*- coding: utf-8 -*-
# Copyright: vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the vSphere Automation REST API (``/api``).

It knows nothing about Ansible: it raises the exceptions of ``errors`` and
leaves reporting to the caller. Use it as a context manager so the API
session is always logged out::

    with VSphereClient("vc.example.com", "user", "secret") as client:
        client.request("GET", api_path("/api/content/library/item/update-session", sid),
                       operation="get update session")

Transient faults are retried by urllib3's ``Retry`` mounted on the session;
see ``VSphereClient._retry_for`` for which calls may be sent again.
"""

import base64
import http.client
import json
import math
import os
import re
import socket
import ssl
import time
import warnings
from urllib.parse import quote, urlencode, urlsplit

try:
    import requests
    import requests.exceptions
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import (
        HTTPError as Urllib3Error,
        InsecureRequestWarning,
        InvalidHeader,
        MaxRetryError,
        ProtocolError,
        ReadTimeoutError,
        ResponseError,
    )
    from urllib3.util.retry import Retry
    from urllib3.util.timeout import Timeout
except ImportError:
    HAS_REQUESTS = False
    # Lets this file import without requests; connection.connect() reports the missing library.
    Retry = Timeout = object
else:
    HAS_REQUESTS = True

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    AuthenticationError,
    InvalidOptionError,
    TransportError,
    VSphereContentError,
)

SESSION_PATH = "/api/session"
SESSION_HEADER = "vmware-api-session-id"
USER_AGENT = "ansible-collection-vsphere.content"
REDACTED = "********"
_EXCERPT_LENGTH = 160
MAX_IDENTIFIER_LENGTH = 1024
PROXY_PROTOCOLS = ("http", "https")

# Calls that have the same effect when sent twice; only these are resent after vCenter may
# have seen them (a read error or a retryable status).
IDEMPOTENT_METHODS = frozenset(("GET", "PATCH", "DELETE"))
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# No single wait between tries (backoff or Retry-After) is longer than this.
MAX_RETRY_WAIT = 30.0
# A retry is only started when at least this much of request_timeout is left for it.
MIN_TRY_SECONDS = 0.1
# Larger timeouts overflow socket timeouts and mean nothing for one API call.
MAX_SECONDS = 86400
_SESSION_TOKEN = re.compile(r"^[\x21-\x7e]+$")


def check_identifier(value, name):
    """Reject an identifier no API object can have, before any request is sent."""
    text = "" if value is None else str(value)
    if not text.strip():
        raise InvalidOptionError("%s must not be empty" % name)
    if len(text) > MAX_IDENTIFIER_LENGTH:
        raise InvalidOptionError(
            "%s is %d characters long; identifiers have at most %d" % (name, len(text), MAX_IDENTIFIER_LENGTH)
        )
    return text


def api_path(template, *segments):
    """Append ``segments`` (user input) to a fixed API path, each quoted whole.

    Segments made only of dots are quoted too (``%2E``): left bare, URL
    normalisation would turn ``..`` into a walk up to another endpoint.
    """
    quoted = []
    for segment in segments:
        text = quote(check_identifier(segment, "an identifier in %s" % template), safe="")
        if text.strip(".") == "":
            text = "%2E" * len(text)
        quoted.append(text)
    return "/".join([template] + quoted)


def _has_control_characters(text):
    return any(ord(char) < 32 or ord(char) == 127 or char.isspace() for char in text)


def build_base_url(hostname, port):
    """Return ``(base_url, host_label)`` for a host name, an IPv6 literal or an https URL.

    A port written in the URL wins over ``port``.
    """
    text = (hostname or "").strip()
    if not text:
        raise InvalidOptionError("hostname must not be empty")
    # urlsplit silently drops tabs and line breaks; refuse them instead of guessing.
    if _has_control_characters(text):
        raise InvalidOptionError("hostname %r has no usable host name: it contains whitespace or control characters"
                                 % hostname)
    if "://" not in text:
        # A bare IPv6 literal has several colons; brackets make it parseable.
        if text.count(":") > 1 and not text.startswith("["):
            text = "[%s]" % text
        text = "https://" + text
    try:
        parts = urlsplit(text)
        url_port = parts.port
    except ValueError as exc:
        raise InvalidOptionError("hostname %r is not a valid host name or URL: %s" % (hostname, exc))
    if parts.scheme.lower() != "https":
        raise InvalidOptionError(
            "hostname %r uses %s://; the vSphere API is only served over https" % (hostname, parts.scheme)
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise InvalidOptionError(
            "hostname %r must be a host name or https://host[:port], without a path, query or credentials"
            % hostname
        )
    host = parts.hostname
    if not host:
        raise InvalidOptionError("hostname %r has no usable host name" % hostname)
    port = int(url_port or port)
    if not 0 < port < 65536:
        raise InvalidOptionError("port %d is out of range 1-65535" % port)
    netloc = "[%s]" % host if ":" in host else host
    label = netloc if port == 443 else "%s:%d" % (netloc, port)
    return "https://%s:%d" % (netloc, port), label


def build_proxy_url(proxy_host, proxy_port, proxy_protocol="http"):
    """The URL of the proxy for ``requests``, or None when no proxy is set."""
    if not proxy_host and proxy_port is None:
        return None
    if not proxy_host or proxy_port is None:
        raise InvalidOptionError("proxy_host and proxy_port must be set together")
    if proxy_protocol not in PROXY_PROTOCOLS:
        raise InvalidOptionError("proxy_protocol must be one of: %s" % ", ".join(PROXY_PROTOCOLS))
    host = proxy_host.strip().strip("[]")
    if not host or _has_control_characters(host) or any(char in host for char in "/@?#%[]\\"):
        raise InvalidOptionError(
            "proxy_host %r must be a host name or IP address (set the scheme with proxy_protocol)" % proxy_host
        )
    if ":" in host and not all(char in "0123456789abcdefABCDEF:." for char in host):
        raise InvalidOptionError("proxy_host %r must be a host name or IP address, without a port" % proxy_host)
    if not 0 < proxy_port < 65536:
        raise InvalidOptionError("proxy_port %d is out of range 1-65535" % proxy_port)
    return "%s://%s:%d" % (proxy_protocol, "[%s]" % host if ":" in host else host, proxy_port)


def _excerpt(text):
    """A short, single-line, tag-free excerpt of a non-JSON body (an HTML proxy page, say)."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text or "")
    text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    if len(text) > _EXCERPT_LENGTH:
        text = text[:_EXCERPT_LENGTH - 3].rstrip() + "..."
    return text


def describe_vapi_error(operation, status, body_text, origin=None):
    """One sentence for a failed call: operation, status, error_type and messages.

    ``origin`` (who answered, say ``vc:443 after 4 attempts``) is named when the
    trouble is on the server's side (5xx, 429) or the body is not a vAPI error.
    """
    sentence = "%s failed: HTTP %d" % (operation, status)
    try:
        body = json.loads(body_text) if body_text else None
    except ValueError:
        body = None
    if not (isinstance(body, dict) and ("messages" in body or "error_type" in body)):
        if origin:
            sentence += " from %s" % origin
        excerpt = _excerpt(body_text)
        return (sentence + " (non-JSON response: %s)" % excerpt if excerpt else sentence), None, []
    error_type = body.get("error_type")
    error_type = error_type if isinstance(error_type, str) else None
    texts = []
    for message in body.get("messages") if isinstance(body.get("messages"), list) else []:
        text = message.get("default_message") if isinstance(message, dict) else None
        if isinstance(text, str) and text.strip():
            texts.append(" ".join(text.split()))
    if error_type:
        sentence += " %s" % error_type
    if origin and (status >= 500 or status == 429):
        sentence += " from %s" % origin
    if texts:
        sentence += ": %s" % "; ".join(texts)
    return sentence, error_type, texts


def _causes(exc):
    """``exc`` and the exceptions it wraps, outermost first (requests -> urllib3 -> socket/ssl)."""
    seen = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        inner = getattr(current, "reason", None)
        args = getattr(current, "args", ())
        if isinstance(inner, BaseException):
            current = inner
        elif args and isinstance(args[0], BaseException):
            current = args[0]
        else:
            current = current.__cause__ or current.__context__


class _CallRetry(Retry):
    """urllib3's Retry for one API call: waits are capped, and no retry starts that could
    not finish before the call's deadline, so retries stay within request_timeout."""

    def __init__(self, *args, **kwargs):
        self.deadline = kwargs.pop("deadline", None)
        super().__init__(*args, **kwargs)

    def new(self, **kwargs):
        retry = super().new(**kwargs)
        retry.deadline = self.deadline
        return retry

    def get_backoff_time(self):
        return min(super().get_backoff_time(), MAX_RETRY_WAIT)

    def get_retry_after(self, response):
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:
            return None  # an unparseable Retry-After falls back to the backoff
        return None if seconds is None else min(seconds, MAX_RETRY_WAIT)

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if error is not None and any(isinstance(cause, ssl.SSLCertVerificationError) for cause in _causes(error)):
            raise MaxRetryError(_pool, url, error)  # sending again cannot make a certificate trusted
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        wait = retry.get_backoff_time()
        if response is not None and self.respect_retry_after_header:
            wait = retry.get_retry_after(response) or wait
        if self.deadline is not None and self.deadline - (time.monotonic() + wait) < MIN_TRY_SECONDS:
            raise MaxRetryError(_pool, url, error or ResponseError("no time left for another try"))
        return retry


class _CallTimeout(Timeout):
    """Each try of one call gets the time left before the call's deadline (urllib3 clones the
    timeout for every try)."""

    def __init__(self, deadline):
        super().__init__(total=max(deadline - time.monotonic(), 0.001))
        self.deadline = deadline

    def clone(self):
        return _CallTimeout(self.deadline)


def _seconds(value, name, allow_zero=False):
    """A usable number of seconds: finite, positive (or zero), and no more than a day."""
    if value is None or not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise InvalidOptionError("%s must be a %s number of seconds" % (name, "non-negative" if allow_zero else "positive"))
    if value > MAX_SECONDS:
        raise InvalidOptionError("%s must be at most %d seconds" % (name, MAX_SECONDS))
    return float(value)


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
        self._adapter = None
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
            self._adapter = HTTPAdapter()
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

    def request(self, method, path, operation, params=None, body=None):
        """Send an authenticated call; return the decoded JSON body, or None when there is none.

        A 401 (the session expired) logs in again once and repeats the call.
        """
        if self._token is None:
            raise RuntimeError("VSphereClient.request() called before login()")
        response = self._send(method, path, operation, params=params, body=body, authenticated=True)
        if response.status_code == 401:
            self._renew_session(operation)
            response = self._send(method, path, operation, params=params, body=body, authenticated=True)
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

    def _retry_for(self, method, path, params, deadline):
        """The Retry for one call.

        Idempotent calls, login, and creates that carry a ``client_token`` are resent after
        connection errors, read errors and RETRY_STATUSES. Any other POST (the actions) is
        only resent when the connection or its TLS handshake failed, so vCenter never saw it.
        A certificate that fails verification is never tried again.
        """
        allowed = set(IDEMPOTENT_METHODS)
        if method == "POST" and (path == SESSION_PATH or (params or {}).get("client_token")):
            allowed.add("POST")
        return _CallRetry(
            total=self.retries,
            allowed_methods=frozenset(allowed),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=self.retry_backoff,
            respect_retry_after_header=True,
            raise_on_status=False,
            deadline=deadline,
        )

    def _send(self, method, path, operation, params=None, body=None, authorization=None, authenticated=False):
        url = self.base_url + path
        if params:
            url += "?" + urlencode(params)
        headers = {"Accept": "application/json"}
        if authorization:
            headers["Authorization"] = authorization
        if authenticated:
            headers[SESSION_HEADER] = self._token
        prepared = self._http.prepare_request(requests.Request(method, url, headers=headers, json=body))
        # requests re-quotes URLs and unquotes %2E; keep the path exactly as built.
        prepared.url = url
        # Honours HTTPS_PROXY and NO_PROXY unless proxy_host is set, and REQUESTS_CA_BUNDLE.
        settings = self._http.merge_environment_settings(url, dict(self._proxies), None, True, None)
        # verify goes on every call: REQUESTS_CA_BUNDLE must not override validate_certs=false.
        verify = (self.ca_path or settings["verify"]) if self.validate_certs else False
        deadline = time.monotonic() + self.request_timeout
        # One client serves one module run from one thread, so the adapter's Retry can be per call.
        self._adapter.max_retries = self._retry_for(method, path, params, deadline)
        try:
            with warnings.catch_warnings():
                # The user turned verification off on purpose; urllib3 would warn on every call.
                warnings.simplefilter("ignore", InsecureRequestWarning)
                return self._http.send(
                    prepared,
                    verify=verify,
                    proxies=settings["proxies"],
                    cert=settings["cert"],
                    timeout=_CallTimeout(deadline),
                    allow_redirects=False,
                )
        except (requests.exceptions.RequestException, Urllib3Error, OSError) as exc:
            raise TransportError(self._transport_message(operation, exc))

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
        """One sentence naming the host and port for a call that got no usable answer."""
        causes = list(_causes(exc))

        def caused_by(*types):
            return any(isinstance(cause, types) for cause in causes)

        if isinstance(exc, requests.exceptions.SSLError) or caused_by(ssl.SSLError):
            return self._tls_message(causes)
        if isinstance(exc, requests.exceptions.ProxyError):
            return "%s failed: the proxy for %s could not be used: %s" % (operation, self.host_label, self._reason(causes))
        if isinstance(exc, requests.exceptions.Timeout) or caused_by(TimeoutError, socket.timeout, ReadTimeoutError):
            return "%s timed out: %s did not answer within %s seconds (request_timeout)" % (
                operation, self.host_label, "%g" % self.request_timeout)
        if caused_by(socket.gaierror):
            return "%s failed: the host name of %s does not resolve (%s)" % (
                operation, self.host_label, self._reason(causes))
        if caused_by(ConnectionRefusedError):
            return "%s failed: %s refused the connection" % (operation, self.host_label)
        if isinstance(exc, requests.exceptions.ChunkedEncodingError) or caused_by(
                ProtocolError, http.client.HTTPException, ConnectionResetError, BrokenPipeError):
            return "%s failed: the connection to %s broke before the whole answer arrived (%s)" % (
                operation, self.host_label, self._reason(causes))
        if isinstance(exc, (requests.exceptions.RequestException, Urllib3Error)):
            return "%s failed: connection to %s failed: %s" % (operation, self.host_label, self._reason(causes))
        # requests raises a bare OSError when the CA bundle it was given cannot be read.
        return "%s failed: %s" % (operation, self._reason(causes))

    def _tls_message(self, causes):
        verify_error = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
        reason = getattr(verify_error, "verify_message", None) or self._reason(causes)
        reason = reason.rstrip(".")
        if verify_error is None and not any("CERTIFICATE_VERIFY_FAILED" in str(c) for c in causes):
            return "TLS handshake with %s failed: %s; is that the vCenter HTTPS port?" % (self.host_label, reason)
        if "mismatch" in reason.lower():
            hint = "set hostname to a name the certificate was issued for, or set validate_certs: false"
        else:
            hint = ("set ca_path to the CA bundle that signed the vCenter certificate, "
                    "or set validate_certs: false")
        return "TLS certificate verification failed for %s: %s; %s" % (self.host_label, reason, hint)

    def _reason(self, causes):
        cause = causes[-1]
        text = str(cause) or type(cause).__name__
        # urllib3 wraps reasons as "<connection object at 0x...>: message".
        text = re.sub(r"^<[^>]*>:\s*", "", text)
        return self._redact(text)

    def _redact(self, text):
        for secret in [self._password, self._authorization.split(" ", 1)[1]] + self._issued_tokens:
            if secret:
                text = text.replace(secret, REDACTED)
        return text
