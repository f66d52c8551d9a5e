# -*- coding: utf-8 -*-
# Copyright: vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
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
      - If not set, the value of the E(VMWARE_USER) environment variable is used.
    type: str
    required: true
    aliases: [user, vcenter_username]
  password:
    description:
      - The password of O(username).
      - If not set, the value of the E(VMWARE_PASSWORD) environment variable is used.
    type: str
    required: true
    aliases: [pass, pwd, vcenter_password]
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
      - Certificates are verified against the system's trusted CAs, or against the bundle named
        by the E(REQUESTS_CA_BUNDLE) environment variable when it is set.
      - V(false) turns verification off even when E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is set.
        Use it only on trusted networks.
      - If not set, the value of the E(VMWARE_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
    aliases: [vcenter_validate_certs]
  request_timeout:
    description:
      - Seconds to wait for each HTTP call to vCenter to connect and to answer.
      - If not set, the value of the E(VMWARE_REQUEST_TIMEOUT) environment variable is used.
    type: float
    default: 60.0
notes:
  - Every run logs in to the vSphere Automation API once and always logs out, also when it fails.
requirements:
  - requests
"""
