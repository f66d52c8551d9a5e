# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected misbehaviour: what a fault is, and how a matching request suffers it."""

import re
import time

from .httpd import hang_up, send


class Fault:
    """An injected misbehaviour for matching requests: a status and body, a delay, or a dropped connection.

    ``body`` may be a callable taking the request headers, to echo them back as some proxies do.
    ``times`` is how many matching requests it applies to; -1 means all of them. ``after`` lets
    that many matching requests through untouched first. ``drop`` hangs up instead of answering;
    ``drop_after`` first carries the request out, so the client never learns that it succeeded
    (a lost response). ``expire_session`` revokes the request's API session (as vCenter does
    when a session times out) and then answers normally. ``truncate`` sends the status, the
    headers and half the body, then hangs up.

    On the upload endpoint (``path=r"/cls/data/"``, PUT or POST): ``reset_after`` reads that many body
    bytes, then cuts the connection hard; ``stall`` stops reading the body for that many seconds once
    ``stall_after`` bytes have arrived; ``status`` answers it after reading the body, storing nothing.

    On the download endpoint (``path=r"/cls/data/", method="GET"``): ``reset_after`` sends that many body
    bytes, then cuts the connection hard; ``stall`` stops sending for that many seconds once ``stall_after``
    body bytes are out (a simulator stop ends it); ``status`` answers that status and body instead of the
    content; ``corrupt_at`` flips the byte at that file offset in what is sent; ``ignore_range`` answers 200
    and the whole file whatever the Range header asks. ``delay`` and ``drop`` act as on the API.
    """

    def __init__(self, method=None, path=None, status=None, body=b"", content_type="text/html",
                 headers=None, delay=0.0, drop=False, drop_after=False, times=1, after=0,
                 expire_session=False, truncate=False, reset_after=None, stall=0.0, stall_after=0,
                 corrupt_at=None, ignore_range=False):
        self.method = method
        self.path = re.compile(path) if path else None
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}
        self.delay = delay
        self.drop = drop
        self.drop_after = drop_after
        self.remaining = times
        self.after = after
        self.expire_session = expire_session
        self.truncate = truncate
        self.reset_after = reset_after
        self.stall = stall
        self.stall_after = stall_after
        self.corrupt_at = corrupt_at
        self.ignore_range = ignore_range
        self.applied = 0

    def matches(self, method, path):
        return (
            self.remaining != 0
            and (self.method is None or self.method == method)
            and (self.path is None or self.path.search(path) is not None)
        )


def take_fault(faults, method, path):
    """The first fault that applies to this request, counted as applied; None when none does (call under a lock)."""
    fault = next((f for f in faults if f.matches(method, path)), None)
    if fault is not None and fault.after > 0:
        fault.after -= 1
        fault = None
    if fault is not None:
        fault.applied += 1
        if fault.remaining > 0:
            fault.remaining -= 1
    return fault


def apply_fault(state, handler, fault, entry):
    """Misbehave as ``fault`` says; True when the answer (or the hang-up) has been sent."""
    if fault.delay:
        time.sleep(fault.delay)
    if fault.expire_session:
        with state.lock:
            state.tokens.pop(handler.headers.get("vmware-api-session-id"), None)
    if fault.drop:
        hang_up(handler, entry, "dropped")
        return True
    if fault.status is None:
        return False
    entry["status"] = fault.status
    body = fault.body(handler.headers) if callable(fault.body) else fault.body
    body = body.encode() if isinstance(body, str) else body
    if not fault.truncate:
        send(handler, fault.status, body, fault.content_type, fault.headers)
        return True
    handler.send_response(fault.status)
    handler.send_header("Content-Type", fault.content_type or "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body[:len(body) // 2])
    handler.wfile.flush()
    hang_up(handler, entry, "truncated")
    return True
