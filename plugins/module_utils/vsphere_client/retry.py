# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""How long a call may take and when it is sent again: urllib3 Retry and Timeout for one call."""

import math
import ssl
import time

try:
    from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
    from urllib3.util.retry import Retry
    from urllib3.util.timeout import Timeout
except ImportError:
    # Lets this file import without requests; connection.connect() reports the missing library.
    Retry = Timeout = object

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.messages import _causes
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.tls import forget_tls_errors

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
        if error is not None:
            forget_tls_errors()  # or the next try may fail for the last one's error
        if error is not None and any(isinstance(cause, ssl.SSLCertVerificationError) for cause in _causes(error)):
            raise MaxRetryError(_pool, url, error)  # sending again cannot make a certificate trusted
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        wait = retry.get_backoff_time()
        if response is not None and self.respect_retry_after_header:
            wait = retry.get_retry_after(response) or wait
        if self.deadline is not None and self.deadline - (time.monotonic() + wait) < MIN_TRY_SECONDS:
            raise MaxRetryError(_pool, url, error or ResponseError("no time left for another try"))
        return retry


def transfer_retry_wait(backoff, attempt):
    """Seconds to wait before trying an upload or a download again after attempt number ``attempt`` broke:
    ``backoff`` doubled for each attempt after the first, at most MAX_RETRY_WAIT."""
    return min(backoff * 2 ** (attempt - 1), MAX_RETRY_WAIT)


def call_retry(method, resend_post, retries, backoff, deadline):
    """The Retry for one call.

    Idempotent calls, and POSTs the caller may resend (login, creates that carry a
    ``Client-Token`` header) are resent after connection errors, read errors and RETRY_STATUSES.
    Any other POST (the actions) is only resent when the connection or its TLS handshake
    failed, so vCenter never saw it. A certificate that fails verification is never tried again.
    """
    allowed = set(IDEMPOTENT_METHODS)
    if method == "POST" and resend_post:
        allowed.add("POST")
    return _CallRetry(
        total=retries,
        allowed_methods=frozenset(allowed),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff,
        respect_retry_after_header=True,
        raise_on_status=False,
        deadline=deadline,
    )


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
