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
"""

import json
import re
import ssl
import warnings
from urllib.parse import quote, urlencode, urlsplit

try:
    import requests
    import requests.exceptions
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True

from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    AuthenticationError,
    InvalidOptionError,
    TransportError,
)

SESSION_PATH = "/api/session"
SESSION_HEADER = "vmware-api-session-id"
USER_AGENT = "ansible-collection-vsphere.content"
REDACTED = "********"
_EXCERPT_LENGTH = 160


def api_path(template, *segments):
    """Append ``segments`` (user input) to a fixed API path, each quoted whole.

    Segments made only of dots are quoted too (``%2E``): left bare, URL
    normalisation would turn ``..`` into a walk up to another endpoint.
    """
    quoted = []
    for segment in segments:
        text = quote(str(segment), safe="")
        if not text:
            raise InvalidOptionError("an identifier in %s must not be empty" % template)
        if text.strip(".") == "":
            text = "%2E" * len(text)
        quoted.append(text)
    return "/".join([template] + quoted)


def build_base_url(hostname, port):
    """Return ``(base_url, host_label)`` for a host name, an IPv6 literal or an https URL.

    A port written in the URL wins over ``port``.
    """
    text = (hostname or "").strip()
    if not text:
        raise InvalidOptionError("hostname must not be empty")
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
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidOptionError(
            "hostname %r must be a host name or https://host[:port], without a path, query or credentials"
            % hostname
        )
    host = parts.hostname
    if not host or any(char.isspace() for char in host):
        raise InvalidOptionError("hostname %r has no usable host name" % hostname)
    port = int(url_port or port)
    if not 0 < port < 65536:
        raise InvalidOptionError("port %d is out of range 1-65535" % port)
    netloc = "[%s]" % host if ":" in host else host
    label = netloc if port == 443 else "%s:%d" % (netloc, port)
    return "https://%s:%d" % (netloc, port), label


def _excerpt(text):
    """A short, single-line, tag-free excerpt of a non-JSON body (an HTML proxy page, say)."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text or "")
    text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    if len(text) > _EXCERPT_LENGTH:
        text = text[:_EXCERPT_LENGTH - 3].rstrip() + "..."
    return text


def describe_vapi_error(operation, status, body_text):
    """One sentence for a failed call: operation, status, error_type and messages."""
    sentence = "%s failed: HTTP %d" % (operation, status)
    try:
        body = json.loads(body_text) if body_text else None
    except ValueError:
        body = None
    if not (isinstance(body, dict) and ("messages" in body or "error_type" in body)):
        excerpt = _excerpt(body_text)
        return (sentence + " (non-JSON response: %s)" % excerpt if excerpt else sentence), None, []
    error_type = body.get("error_type")
    texts = []
    for message in body.get("messages") if isinstance(body.get("messages"), list) else []:
        text = message.get("default_message") if isinstance(message, dict) else None
        if isinstance(text, str) and text.strip():
            texts.append(text.strip())
    if error_type:
        sentence += " %s" % error_type
    if texts:
        sentence += ": %s" % "; ".join(texts)
    return sentence, error_type, texts


def _root_cause(exc):
    """The innermost exception requests/urllib3 wrapped, for a readable reason."""
    seen = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        inner = getattr(current, "reason", None)
        if isinstance(inner, BaseException):
            current = inner
            continue
        args = getattr(current, "args", ())
        if args and isinstance(args[0], BaseException):
            current = args[0]
            continue
        if current.__cause__ is not None or current.__context__ is not None:
            current = current.__cause__ or current.__context__
            continue
        break
    return current


class VSphereClient:
    """One API session over one ``requests.Session``; reuses connections, always logs out."""

    def __init__(self, hostname, username, password, port=443, validate_certs=True, request_timeout=60.0):
        self.base_url, self.host_label = build_base_url(hostname, port)
        if not username:
            raise InvalidOptionError("username must not be empty")
        if not request_timeout or request_timeout <= 0:
            raise InvalidOptionError("request_timeout must be a positive number of seconds")
        self.username = username
        self._password = password or ""
        self.validate_certs = validate_certs
        self.request_timeout = request_timeout
        self._http = None
        self._token = None

    # -- lifecycle -----------------------------------------------------------

    def __enter__(self):
        self.login()
        return self

    def __exit__(self, exc_type, exc_value, tb):
        self.close()
        return False

    def login(self):
        if self._http is None:
            self._http = requests.Session()
            self._http.headers["User-Agent"] = USER_AGENT
        response = self._send(
            "POST", SESSION_PATH, "log in", auth=(self.username, self._password), authenticated=False
        )
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
        if not isinstance(token, str) or not token:
            raise ApiError("log in failed: the server did not return a session token", response.status_code)
        self._token = token

    def logout(self):
        """End the API session. Best effort: a failed logout must not hide the real outcome."""
        if self._token is None:
            return
        try:
            self._send("DELETE", SESSION_PATH, "log out")
        except TransportError:
            pass
        finally:
            self._token = None

    def close(self):
        try:
            self.logout()
        finally:
            if self._http is not None:
                self._http.close()
                self._http = None

    # -- requests ------------------------------------------------------------

    def request(self, method, path, operation, params=None, body=None):
        """Send an authenticated call; return the decoded JSON body, or None when there is none."""
        if self._token is None:
            raise RuntimeError("VSphereClient.request() called before login()")
        response = self._send(method, path, operation, params=params, body=body)
        self._raise_for_status(operation, response)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ApiError(
                "%s failed: HTTP %d with a body that is not JSON: %s"
                % (operation, response.status_code, self._redact(_excerpt(response.text))),
                response.status_code,
            )

    def _send(self, method, path, operation, params=None, body=None, auth=None, authenticated=True):
        url = self.base_url + path
        if params:
            url += "?" + urlencode(params)
        headers = {"Accept": "application/json"}
        if authenticated:
            headers[SESSION_HEADER] = self._token
        prepared = self._http.prepare_request(
            requests.Request(method, url, headers=headers, json=body, auth=auth)
        )
        # requests re-quotes URLs and unquotes %2E; keep the path exactly as built.
        prepared.url = url
        settings = self._http.merge_environment_settings(url, {}, None, True, None)
        # verify goes on every call: REQUESTS_CA_BUNDLE must not override validate_certs=false.
        verify = settings["verify"] if self.validate_certs else False
        try:
            with warnings.catch_warnings():
                # The user turned verification off on purpose; urllib3 would warn on every call.
                warnings.simplefilter("ignore", InsecureRequestWarning)
                return self._http.send(
                    prepared,
                    verify=verify,
                    proxies=settings["proxies"],
                    cert=settings["cert"],
                    timeout=self.request_timeout,
                    allow_redirects=False,
                )
        except requests.exceptions.SSLError as exc:
            raise TransportError(self._tls_message(exc))
        except requests.exceptions.Timeout:
            raise TransportError(
                "%s timed out: %s did not answer within %s seconds (request_timeout)"
                % (operation, self.host_label, self.request_timeout)
            )
        except requests.exceptions.RequestException as exc:
            raise TransportError(
                "%s failed: connection to %s failed: %s" % (operation, self.host_label, self._reason(exc))
            )
        except OSError as exc:
            # requests raises a bare OSError when the CA bundle it was given cannot be read.
            raise TransportError("%s failed: %s" % (operation, self._reason(exc)))

    def _raise_for_status(self, operation, response):
        if response.status_code < 300:
            return
        sentence, error_type, texts = describe_vapi_error(operation, response.status_code, response.text)
        raise ApiError(self._redact(sentence), response.status_code, error_type, [self._redact(t) for t in texts])

    def _tls_message(self, exc):
        cause = _root_cause(exc)
        reason = getattr(cause, "verify_message", None) or self._reason(exc)
        if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return (
                "TLS certificate verification failed for %s: %s. Trust the CA that signed the vCenter "
                "certificate (for example with REQUESTS_CA_BUNDLE), or set validate_certs: false"
                % (self.host_label, reason)
            )
        return "TLS handshake with %s failed: %s" % (self.host_label, reason)

    def _reason(self, exc):
        cause = _root_cause(exc)
        text = str(cause) or type(cause).__name__
        # urllib3 wraps reasons as "<connection object at 0x...>: message".
        text = re.sub(r"^<[^>]*>:\s*", "", text)
        return self._redact(text)

    def _redact(self, text):
        for secret in (self._token, self._password):
            if secret:
                text = text.replace(secret, REDACTED)
        return text
