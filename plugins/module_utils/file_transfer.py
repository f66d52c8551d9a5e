# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Putting one file into an update session (PUSH or PULL), or taking it out, over a logged-in client.

The decisions are the pure functions of ``file_plans``; this module sequences the calls around them:
read the session and the file, hash the local copy, add, stream, keep the session alive, read back.
"""

import time

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import note_unknown_values
from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    SourceError,
    TransportError,
    UpdateSessionError,
)
from ansible_collections.vsphere.content.plugins.module_utils.file_plans import (
    ERROR,
    FINAL_STATUSES,
    PULL,
    PUSH,
    DesiredFile,
    add_spec,
    algorithms_to_hash,
    file_summary,
    is_current,
    predicted_info,
    progress_percent,
    verification_problem,
)
from ansible_collections.vsphere.content.plugins.module_utils.file_reports import message_text, reportable
from ansible_collections.vsphere.content.plugins.module_utils.keep_alive import KeepAlive
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import wait_until
from ansible_collections.vsphere.content.plugins.module_utils.local_content import LocalFile
from ansible_collections.vsphere.content.plugins.module_utils.session_files import (
    add_file,
    find_file,
    list_files,
    remove_file,
)
from ansible_collections.vsphere.content.plugins.module_utils.session_calls import (
    get_update_session,
    session_action,
)
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.retry import transfer_retry_wait
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import ensure_updatable


class FileRequest:
    """What the user asked for one file, in the module's terms; options already validated.

    The content to upload is ``source`` (a ``LocalFile``: a whole file, or a member of an OVA), or the
    whole file ``src``.
    """

    def __init__(self, update_session_id, name, state="present", src=None, url=None, url_thumbprint=None,
                 checksum_algorithm="SHA256", checksum=None, wait=True, wait_timeout=600.0,
                 keep_alive_interval=30.0, retries=3, retry_backoff=1.0, source=None):
        self.update_session_id = update_session_id
        self.name = name
        self.state = state
        self.src = src
        self.source = source if source is not None or src is None else LocalFile(name, src)
        self.url = url
        self.url_thumbprint = url_thumbprint
        self.checksum_algorithm = checksum_algorithm
        self.checksum = checksum
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.keep_alive_interval = keep_alive_interval
        self.retries = retries
        self.retry_backoff = retry_backoff


class FileOutcome:
    """What a run did to the file: changed, its File.Info afterwards, a diff, and upload figures."""

    def __init__(self, label):
        self.label = label
        self.changed = False
        self.file = None
        self.before = {}
        self.after = {}
        self.bytes_uploaded = 0
        self.seconds = 0.0
        self.attempts = 0
        self.warnings = []

    def observe(self, info):
        """Report the values of a File.Info that this collection does not know (a later release's)."""
        note_unknown_values(self.warnings, files=[info] if info else ())

    @property
    def diff(self):
        return {"before": self.before, "after": self.after, "before_header": self.label, "after_header": self.label}


def reconcile_session_file(client, request, check_mode, clock=time.monotonic, sleep=time.sleep):
    """Bring one file of an update session to ``request``; return a FileOutcome. Check mode sends no write."""
    session_id = request.update_session_id
    outcome = FileOutcome("file %s of update session %s" % (request.name, session_id))
    session = get_update_session(client, session_id)
    existing = find_file(client, session_id, request.name)
    outcome.observe(existing)
    outcome.before = file_summary(existing)
    if request.state == "absent":
        if existing is not None:
            ensure_updatable(session_id, session)
            outcome.changed = True
            if not check_mode:
                remove_file(client, session_id, request.name)
        outcome.after = {}
        return outcome
    desired = desired_file(request, existing)
    if is_current(existing, desired):
        outcome.after = outcome.before
        outcome.file = reportable(existing)
        return outcome
    ensure_updatable(session_id, session)
    outcome.changed = True
    if check_mode:
        outcome.file = predicted_info(desired)
    elif desired.source_type == PUSH:
        outcome.file = _push(client, request, session, desired, outcome, clock, sleep)
    else:
        outcome.file = _pull(client, request, session, desired, outcome, clock)
    outcome.observe(outcome.file)
    outcome.after = file_summary(outcome.file)
    outcome.file = reportable(outcome.file)
    return outcome


def desired_file(request, existing):
    """The content the task wants; hashes the local source (once, for every algorithm needed) unless
    the user gave its checksum."""
    algorithm = request.checksum_algorithm
    if request.url is not None:
        digests = {algorithm: request.checksum} if request.checksum else {}
        return DesiredFile(request.name, PULL, algorithm, digests, url=request.url, thumbprint=request.url_thumbprint)
    if request.checksum:
        return DesiredFile(request.name, PUSH, algorithm, {algorithm: request.checksum}, size=request.source.size)
    digests, size = request.source.digests(algorithms_to_hash(algorithm, existing))
    return DesiredFile(request.name, PUSH, algorithm, digests, size=size)


# -- PUSH ---------------------------------------------------------------------------------


def _push(client, request, session, desired, outcome, clock, sleep):
    """Add, stream and read back; a broken upload starts over from the first byte after a fresh add."""
    session_id = request.update_session_id
    keep_alive = _keep_alive(client, request, session, outcome, clock)
    attempts = request.retries + 1
    for attempt in range(1, attempts + 1):
        outcome.attempts = attempt
        info = add_file(client, session_id, add_spec(desired))
        uri = (info.get("upload_endpoint") or {}).get("uri")
        if not uri:
            raise UpdateSessionError("vCenter gave no upload endpoint for %s" % outcome.label, changed=True, file=reportable(info))
        started = clock()
        try:
            with request.source.open() as stream:
                client.upload(uri, stream, desired.size, "the upload",
                              on_progress=lambda sent: keep_alive.maybe(progress_percent(sent, desired.size)))
        except (TransportError, ApiError) as exc:
            retryable = _retryable(exc)
            if attempt < attempts and retryable:
                sleep(transfer_retry_wait(request.retry_backoff, attempt))
                continue
            raise _upload_failure(client, request, desired, outcome, exc, retryable)
        outcome.seconds = clock() - started
        outcome.bytes_uploaded = desired.size
        break
    info = _wait_for_file(client, request, outcome, keep_alive, "received")
    problem = verification_problem(info, desired)
    if problem:
        raise UpdateSessionError("%s does not match what was uploaded: %s" % (outcome.label, _noted(problem, request)),
                                 changed=True, file=reportable(info))
    return info


def _noted(problem, request):
    """``problem`` and, when the source can tell, which side was wrong."""
    note = request.source.sent_note()
    return "%s; %s" % (problem, note) if note else problem


def _retryable(exc):
    if isinstance(exc, ApiError):
        return exc.status >= 500
    return bool(exc.details.get("retryable"))


def _upload_failure(client, request, desired, outcome, exc, retryable):
    """The error for an upload that is not tried again. When vCenter refused what it received (a size or
    checksum mismatch), name what it received; otherwise say how the last attempt broke."""
    info = find_file(client, request.update_session_id, desired.name)
    # A source that failed is no news of what vCenter received.
    if not retryable and not isinstance(exc, SourceError) and info is not None and info.get("status") == ERROR:
        reason = message_text(info.get("error_message")) or verification_problem(info, desired)
        return UpdateSessionError("%s failed: vCenter rejected what it received: %s"
                                  % (outcome.label, _noted(reason, request)), changed=True, file=reportable(info))
    attempts = " after %d attempts" % outcome.attempts if outcome.attempts > 1 else ""
    return UpdateSessionError("%s failed%s: %s" % (outcome.label, attempts, exc.msg), changed=True,
                              file=reportable(info))


# -- PULL ---------------------------------------------------------------------------------


def _pull(client, request, session, desired, outcome, clock):
    info = add_file(client, request.update_session_id, add_spec(desired))
    if not request.wait:
        return info
    keep_alive = _keep_alive(client, request, session, outcome, clock)
    info = _wait_for_file(client, request, outcome, keep_alive, "pulled from %s" % desired.url)
    if info.get("status") == ERROR:
        reason = message_text(info.get("error_message")) or "no error message"
        raise UpdateSessionError("vCenter could not pull %s from %s: %s" % (outcome.label, desired.url, reason),
                                 changed=True, file=reportable(info))
    problem = verification_problem(info, desired)
    if problem:
        raise UpdateSessionError("%s does not match: %s" % (outcome.label, problem), changed=True, file=reportable(info))
    return info


def wait_for_session_files(client, session_id, timeout):
    """Wait until every file of the session is READY or ERROR (vCenter pulls an OVF package's files itself
    once it has its descriptor); fail naming each file in ERROR, or at ``timeout``."""
    def pending(files):
        return [info["name"] for info in files if info.get("status") not in FINAL_STATUSES]

    files = wait_until(
        lambda: list_files(client, session_id),
        lambda files: not pending(files),
        timeout,
        lambda files: UpdateSessionError(
            "update session %s was still transferring %s %s seconds later (wait_timeout)"
            % (session_id, ", ".join(pending(files)), "%g" % timeout), changed=True),
    )
    failed = ["%s: %s" % (info["name"], message_text(info.get("error_message")) or "no error message")
              for info in files if info.get("status") == ERROR]
    if failed:
        raise UpdateSessionError("vCenter could not pull the files of update session %s: %s"
                                 % (session_id, "; ".join(failed)), changed=True)
    return files


# -- shared -------------------------------------------------------------------------------


def _wait_for_file(client, request, outcome, keep_alive, what):
    """Read the file until it is READY or ERROR (keeping the session alive); fail at wait_timeout."""
    def read():
        keep_alive.maybe(None)
        info = find_file(client, request.update_session_id, request.name)
        outcome.observe(info)  # a status a later release adds is waited through, not taken as final
        return info

    return wait_until(
        read,
        lambda info: info is None or info.get("status") in FINAL_STATUSES,
        request.wait_timeout,
        lambda info: UpdateSessionError(
            "%s was still %s %s seconds after it was added, not yet %s (wait_timeout)"
            % (outcome.label, (info or {}).get("status"), "%g" % request.wait_timeout, what),
            changed=True, file=reportable(info),
        ),
    )


def _keep_alive(client, request, session, outcome, clock):
    """The keep-alive of the update session, every ``keep_alive_interval`` seconds, with ``client_progress``."""
    session_id = request.update_session_id
    return KeepAlive(
        lambda progress: session_action(client, session_id, "keep-alive",
                                        {"client_progress": progress} if progress is not None else None),
        "update session %s" % session_id, request.keep_alive_interval, clock, outcome.warnings,
        session.get("client_progress") or 0)
