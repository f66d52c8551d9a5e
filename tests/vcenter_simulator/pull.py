# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PULL: the simulator fetches a session file from an http(s) URL in the background, as vCenter does.

TLS follows the spec's TransferEndpoint: an ``ssl_certificate_thumbprint`` (SHA-1 of the DER certificate, as
up to 9.0, or SHA-256, as 9.1 documents it; colon-separated hex pairs, case and colons ignored) is the only
check made when it is given; without
one, the certificate must chain to one of the simulator's ``trusted_source_cas`` (none by default)
and name the host. Any failure ends the file in ERROR with a message; ``ds://`` is not supported.
A pulled ``.ovf`` of an OVF item pulls the files its References name too, as vCenter does.
"""

import hashlib
import http.client
import ssl
import threading
from urllib.parse import quote, urljoin, urlsplit
from xml.etree import ElementTree

from . import files as files_model
from .transfer import CHUNK_SIZE, Transfer

TIMEOUT_SECONDS = 10.0


class PullError(Exception):
    pass


def start_pull(state, session, record, trusted_cas, stopping):
    """Fetch ``record``'s source_endpoint in a daemon thread; the record is updated as bytes arrive."""
    thread = threading.Thread(target=_pull, args=(state, session, record, trusted_cas, stopping),
                              name="pull %s" % record["name"], daemon=True)
    thread.start()
    return thread


def normalize_thumbprint(thumbprint):
    return thumbprint.replace(":", "").strip().lower()


def thumbprint_of(der, algorithm="sha1"):
    digest = hashlib.new(algorithm, der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def _pull(state, session, record, trusted_cas, stopping):
    endpoint = record["source_endpoint"]
    transfer = Transfer(state, session, record)
    uri = endpoint["uri"]
    split = urlsplit(uri)
    if split.scheme == "ds":
        transfer.fail("Cannot fetch %s from %s: datastore URIs are not supported by the simulator."
                      % (record["name"], uri))
        return
    try:
        if split.scheme not in ("http", "https"):
            raise PullError("the URI scheme %r is not supported (http, https or ds)" % split.scheme)
        connection = _connect(split, endpoint.get("ssl_certificate_thumbprint"), trusted_cas)
        try:
            connection.request("GET", (split.path or "/") + ("?" + split.query if split.query else ""),
                               headers={"User-Agent": "vcenter-simulator"})
            response = connection.getresponse()
            if response.status != 200:
                raise PullError("the server answered HTTP %d %s" % (response.status, response.reason))
            while not stopping.is_set():
                chunk = response.read1(CHUNK_SIZE)
                if not chunk:
                    break
                transfer.write(chunk)
            if response.length:  # http.client counts down what the Content-Length still promises
                raise PullError("the connection closed after %d bytes, %d short of its Content-Length"
                                % (transfer.received, response.length))
        finally:
            connection.close()
    except (OSError, http.client.HTTPException, PullError) as error:
        transfer.fail("Cannot fetch %s from %s: %s." % (record["name"], uri, _describe(error)))
        return
    with state.lock:  # the references appear as the descriptor becomes READY, never after it
        if transfer.finish() is None:
            _pull_references(state, session, record, trusted_cas, stopping)


def _pull_references(state, session, record, trusted_cas, stopping):
    """A pulled .ovf of an OVF item: vCenter fetches the package's files itself, from beside the descriptor.

    Each name its References give gets a PULL from the .ovf's URL resolved against that name, with the
    same thumbprint, unless the session already adds that name itself (PUSH or PULL).
    """
    with state.lock:
        item = state.items.get(session["library_item_id"])
        if (item is None or item["type"] != "ovf" or not record["name"].lower().endswith(".ovf")
                or session["files"].get(record["name"]) is not record or record["status"] != "READY"):
            return
        try:
            references = files_model.ovf_references(record["path"])
        except ElementTree.ParseError:
            return  # validation names the descriptor as invalid
        endpoint = record["source_endpoint"]
        for href in references:
            existing = session["files"].get(href)
            if existing is not None and existing["source_type"] != "NONE":
                continue
            source = {key: value for key, value in endpoint.items() if key == "ssl_certificate_thumbprint"}
            source["uri"] = urljoin(endpoint["uri"], quote(href))
            session["files"][href] = files_model.session_file(href, "PULL", source_endpoint=source)
            start_pull(state, session, session["files"][href], trusted_cas, stopping)


def _connect(split, thumbprint, trusted_cas):
    host, port = split.hostname, split.port
    if split.scheme == "http":
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
        connection.connect()
        return connection
    if thumbprint:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the thumbprint is the only check, as the spec says
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        for ca in trusted_cas:
            if ca.lstrip().startswith("-----BEGIN"):
                context.load_verify_locations(cadata=ca)
            else:
                context.load_verify_locations(cafile=ca)
    connection = http.client.HTTPSConnection(host, port, timeout=TIMEOUT_SECONDS, context=context)
    connection.connect()
    if thumbprint:
        # The length says which digest the client sent; a length that is neither matches nothing.
        algorithm = "sha256" if len(normalize_thumbprint(thumbprint)) == 64 else "sha1"
        actual = thumbprint_of(connection.sock.getpeercert(binary_form=True), algorithm)
        if normalize_thumbprint(actual) != normalize_thumbprint(thumbprint):
            connection.close()
            raise PullError("the SSL certificate of %s:%d has the thumbprint %s, not the expected %s"
                            % (host, connection.port, actual, thumbprint))
    return connection


def _describe(error):
    if isinstance(error, ssl.SSLCertVerificationError):
        return "the SSL certificate of the source is not trusted (%s)" % error.verify_message
    return str(error) or type(error).__name__
