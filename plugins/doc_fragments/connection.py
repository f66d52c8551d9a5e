# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documents the options of ``module_utils/connection.py:connection_argument_spec``."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  hostname:
    description:
      - The vCenter Server to connect to.
      - A host name, an IP address (IPv6 literals with or without brackets), or an
        C(https://) URL without a path. A port in the URL wins over O(port).
      - If not set, the value of the E(VMWARE_HOST) environment variable is used.
    type: str
    required: true
    aliases: [vcenter_hostname]
  username:
    description:
      - The user name to log in with, for example V(administrator@vsphere.local).
      - Required, with O(password), unless O(session_token) is given.
      - If not set, the value of the E(VMWARE_USER) environment variable is used.
    type: str
    aliases: [admin, user, vcenter_username]
  password:
    description:
      - The password of O(username).
      - Required, with O(username), unless O(session_token) is given.
      - If not set, the value of the E(VMWARE_PASSWORD) environment variable is used.
    type: str
    aliases: [pass, pwd, vcenter_password]
  session_token:
    description:
      - An API session token, as RV(vsphere.content.api_session#module:session_token) returns, to use instead of
        logging in. The task then neither logs in nor logs out, which saves a login's cost on every task.
      - If vCenter rejects the token (it expired, or was logged out), the task logs in once with O(username) and
        O(password) when they are given, and logs that session out at its end; without them it fails with a
        C(session token rejected) message.
      - If not set, the value of the E(VMWARE_SESSION_TOKEN) environment variable is used.
    type: str
  port:
    description:
      - The HTTPS port of the vCenter Server.
      - If not set, the value of the E(VMWARE_PORT) environment variable is used.
    type: int
    default: 443
    aliases: [vcenter_port]
  validate_certs:
    description:
      - Whether to verify the vCenter Server's TLS certificate.
      - Certificates are verified against O(ca_path) when it is set; otherwise against the system's
        trusted CAs, or the bundle named by the E(REQUESTS_CA_BUNDLE) environment variable when it is set.
      - V(false) turns verification off even when E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is set.
        Use it only on trusted networks.
      - If not set, the value of the E(VMWARE_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
    aliases: [vcenter_validate_certs]
  request_timeout:
    description:
      - Seconds one API call may take in all, to connect and to answer, retries and the waits between
        them included. A retry is not started when it could not finish in the time left.
      - If not set, the value of the E(VMWARE_REQUEST_TIMEOUT) environment variable is used.
    type: float
    default: 60.0
  ca_path:
    description:
      - A PEM file of CA certificates, or a directory of them prepared with C(openssl rehash), to verify the
        vCenter Server's certificate with, for example the bundle of a private CA.
      - Takes precedence over E(REQUESTS_CA_BUNDLE). Ignored when O(validate_certs) is V(false).
      - If not set, the value of the E(VMWARE_CA_PATH) environment variable is used.
    type: path
  proxy_host:
    description:
      - The host name or IP address of an HTTP(S) proxy that relays every call to vCenter, with C(CONNECT).
        Requires O(proxy_port).
      - Without it, the E(HTTPS_PROXY) and E(NO_PROXY) environment variables are honoured.
      - If not set, the value of the E(VMWARE_PROXY_HOST) environment variable is used.
    type: str
  proxy_port:
    description:
      - The port of the proxy set with O(proxy_host).
      - If not set, the value of the E(VMWARE_PROXY_PORT) environment variable is used.
    type: int
  proxy_protocol:
    description:
      - How to talk to the proxy set with O(proxy_host). V(http) for a plain proxy (the common case);
        V(https) when the proxy itself is reached over TLS, in which case its certificate is verified
        like vCenter's.
    type: str
    choices: [http, https]
    default: http
  retries:
    description:
      - How many times a call is sent again after a transient fault, that is a connection error, a failed
        TLS handshake, a dropped connection, or HTTP 429, 502, 503 or 504. V(0) turns retries off.
        A certificate that fails verification is never tried again.
      - Only calls that are safe to repeat are sent again once vCenter may have seen them (GET, PATCH,
        DELETE, login, and creates that carry a client token). Other actions are only retried when the
        connection or its TLS handshake failed, before anything was sent.
      - An upload or a download whose stream breaks is tried again up to this many times too.
    type: int
    default: 3
  retry_backoff:
    description:
      - The backoff factor, in seconds, between retries. The first retry is immediate, later ones wait
        2, 4, 8... times this value, at most 30 seconds each.
      - A C(Retry-After) header sent with HTTP 429 or 503 is honoured instead, up to 30 seconds.
      - All waits count against O(request_timeout).
    type: float
    default: 1.0
notes:
  - Every run logs in to the vSphere Automation API once and always logs out, also when it fails.
    A failed logout is reported as a warning, never as the task's failure.
  - When vCenter rejects the API session (HTTP 401, for example because it expired), the module logs in
    again once and repeats the call.
requirements:
  - requests
"""
