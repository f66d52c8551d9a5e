# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""One SSL context per client, its trusted certificates loaded once.

Left to themselves, requests and urllib3 build a context for every new connection and load certificates
into it: certifi's whole bundle by default, and the system's store even with ``validate_certs: false``,
where nothing is verified. Loading a whole store takes tens of milliseconds, and a client opens a
connection for its API calls, one for uploads, and more after a retry. Verification itself is unchanged:
requests still chooses the CA file or directory (``ca_path``, the CA bundle variables, or certifi's), and
urllib3 still checks the certificate and the host name on every connection.
"""

import ssl

try:
    from requests.adapters import HTTPAdapter
    from urllib3.util.ssl_ import create_urllib3_context
except ImportError:
    HTTPAdapter = object  # connection.py reports the missing library before a client is made


def forget_tls_errors():
    """Empty this thread's OpenSSL error queue, after a call failed.

    On newer Pythons (seen on 3.13), a TLS connection that fails can leave an entry in the queue, and the
    next read in this thread on a healthy connection then fails with a spurious BrokenPipeError
    (python/cpython#148594): a retry after a broken upload would fail for nothing. ssl has no call for
    OpenSSL's ERR_clear_error, but set_ciphers makes it as it refuses a cipher list that selects nothing.
    """
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).set_ciphers("!ALL")
    except ssl.SSLError:
        pass


class SharedContext:
    """The client's one SSLContext, and which CA files and directories it trusts already."""

    def __init__(self, validate_certs):
        self.context = create_urllib3_context(cert_reqs=ssl.CERT_REQUIRED if validate_certs else ssl.CERT_NONE)
        self._loaded = set()

    def trust(self, ca_file, ca_dir):
        if (ca_file, ca_dir) not in self._loaded:
            self.context.load_verify_locations(cafile=ca_file, capath=ca_dir)
            self._loaded.add((ca_file, ca_dir))


class SharedContextAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections, direct or through a proxy, all use one SharedContext."""

    def __init__(self, shared, **kwargs):
        # Set before HTTPAdapter.__init__, which makes the pool manager.
        self._shared = shared
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["ssl_context"] = self._shared.context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        proxy_kwargs["ssl_context"] = self._shared.context
        if not proxy.lower().startswith("socks"):
            # An https proxy is verified as vCenter is: with the same certificates. (SOCKS has no TLS of its own.)
            proxy_kwargs["proxy_ssl_context"] = self._shared.context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def cert_verify(self, conn, url, verify, cert):
        # requests picks the CA location and refuses a missing one, as it always does.
        super().cert_verify(conn, url, verify, cert)
        if conn.ca_certs or conn.ca_cert_dir:
            self._shared.trust(conn.ca_certs, conn.ca_cert_dir)
            # In the shared context now: urllib3 would load them again for every new connection.
            conn.ca_certs = conn.ca_cert_dir = None
