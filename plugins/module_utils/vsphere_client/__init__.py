# -*- coding: utf-8 -*-
# Copyright: vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the vSphere Automation REST API (``/api``); see ``client`` for its use.

The package keeps the names of the single module it replaced, so
``from ...module_utils.vsphere_client import VSphereClient, api_path`` works as before.
"""

from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import (
    HAS_REQUESTS,
    SESSION_HEADER,
    SESSION_PATH,
    USER_AGENT,
    VSphereClient,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import (
    REDACTED,
    describe_vapi_error,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.retry import (
    IDEMPOTENT_METHODS,
    MAX_RETRY_WAIT,
    MAX_SECONDS,
    MIN_TRY_SECONDS,
    RETRY_STATUSES,
    _CallRetry,
    _CallTimeout,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import (
    MAX_IDENTIFIER_LENGTH,
    PROXY_PROTOCOLS,
    api_path,
    build_base_url,
    build_proxy_url,
    check_identifier,
)

__all__ = [
    "HAS_REQUESTS", "IDEMPOTENT_METHODS", "MAX_IDENTIFIER_LENGTH", "MAX_RETRY_WAIT", "MAX_SECONDS",
    "MIN_TRY_SECONDS", "PROXY_PROTOCOLS", "REDACTED", "RETRY_STATUSES", "SESSION_HEADER", "SESSION_PATH",
    "USER_AGENT", "VSphereClient", "_CallRetry", "_CallTimeout", "api_path", "build_base_url", "build_proxy_url",
    "check_identifier", "describe_vapi_error",
]
