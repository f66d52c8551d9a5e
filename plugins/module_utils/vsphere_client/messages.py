# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The sentences users read when a call fails: vAPI errors, transport and TLS failures.

Everything that may echo a server's or a library's text goes through
``redact`` first, so no password or token reaches a message.
"""

import contextlib
import http.client
import json
import re
import socket
import ssl
import warnings

try:
    import requests.exceptions
    from urllib3.exceptions import (
        HTTPError as Urllib3Error,
        InsecureRequestWarning,
        ProtocolError,
        ReadTimeoutError,
    )
except ImportError:
    pass  # only reached through VSphereClient, which connection.connect() keeps from running without requests

from ansible_collections.vsphere.content.plugins.module_utils.errors import ApiError

REDACTED = "********"
_EXCERPT_LENGTH = 160


@contextlib.contextmanager
def quiet_insecure_warnings():
    with warnings.catch_warnings():
        # The user turned verification off on purpose; urllib3 would warn on every call.
        warnings.simplefilter("ignore", InsecureRequestWarning)
        yield


def redact(text, secrets):
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


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


def transfer_status_error(operation, response, label, secrets):
    """An ApiError for an upload's or a download's non-2xx answer, ``retryable`` in its details: vCenter's trouble
    (5xx) is worth another try, a 4xx is not."""
    sentence, error_type, texts = describe_vapi_error(operation, response.status_code, redact(response.text, secrets),
                                                      origin=label)
    error = ApiError(sentence, response.status_code, error_type, texts)
    error.details["retryable"] = response.status_code >= 500
    return error


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


def failure_kind(exc, causes):
    """What went wrong with a call that got no usable answer, judged from ``exc`` and its ``causes``:
    tls, proxy, timeout, dns, refused, broken, connection, or local (no network involved)."""

    def caused_by(*types):
        return any(isinstance(cause, types) for cause in causes)

    if isinstance(exc, requests.exceptions.SSLError) or caused_by(ssl.SSLError):
        return "tls"
    if isinstance(exc, requests.exceptions.ProxyError):
        return "proxy"
    if isinstance(exc, requests.exceptions.Timeout) or caused_by(TimeoutError, socket.timeout, ReadTimeoutError):
        return "timeout"
    if caused_by(socket.gaierror):
        return "dns"
    if caused_by(ConnectionRefusedError):
        return "refused"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or caused_by(
            ProtocolError, http.client.HTTPException, ConnectionResetError, BrokenPipeError):
        return "broken"
    if isinstance(exc, (requests.exceptions.RequestException, Urllib3Error)):
        return "connection"
    # requests raises a bare OSError when the CA bundle it was given cannot be read.
    return "local"


def transport_message(operation, exc, host_label, request_timeout, secrets):
    """One sentence naming the host and port for a call that got no usable answer."""
    causes = list(_causes(exc))
    kind = failure_kind(exc, causes)
    if kind == "tls":
        return tls_message(causes, host_label, secrets)
    if kind == "timeout":
        return "%s timed out: %s did not answer within %s seconds (request_timeout)" % (
            operation, host_label, "%g" % request_timeout)
    if kind == "refused":
        return "%s failed: %s refused the connection" % (operation, host_label)
    template = {
        "proxy": "%s failed: the proxy for %s could not be used: %s",
        "dns": "%s failed: the host name of %s does not resolve (%s)",
        "broken": "%s failed: the connection to %s broke before the whole answer arrived (%s)",
        "connection": "%s failed: connection to %s failed: %s",
    }.get(kind)
    if template is None:
        return "%s failed: %s" % (operation, reason(causes, secrets))
    return template % (operation, host_label, reason(causes, secrets))


def tls_message(causes, host_label, secrets):
    verify_error = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
    text = getattr(verify_error, "verify_message", None) or reason(causes, secrets)
    text = text.rstrip(".")
    if verify_error is None and not any("CERTIFICATE_VERIFY_FAILED" in str(c) for c in causes):
        return "TLS handshake with %s failed: %s; is that the vCenter HTTPS port?" % (host_label, text)
    if "mismatch" in text.lower():
        hint = "set hostname to a name the certificate was issued for, or set validate_certs: false"
    else:
        hint = ("set ca_path to the CA bundle that signed the vCenter certificate, "
                "or set validate_certs: false")
    return "TLS certificate verification failed for %s: %s; %s" % (host_label, text, hint)


def reason(causes, secrets):
    cause = causes[-1]
    text = str(cause) or type(cause).__name__
    # urllib3 wraps reasons as "<connection object at 0x...>: message".
    text = re.sub(r"^<[^>]*>:\s*", "", text)
    return redact(text, secrets)
