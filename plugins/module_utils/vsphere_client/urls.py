# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""URLs the client builds from user input: API paths, the vCenter base URL, the proxy URL."""

from urllib.parse import quote, urlsplit

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError

MAX_IDENTIFIER_LENGTH = 1024
PROXY_PROTOCOLS = ("http", "https")
DEFAULT_PORTS = {"https": 443, "http": 80}


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


def origin(url):
    """``(scheme, host, port)`` of an http(s) URL, normalised: lowercase, default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


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
