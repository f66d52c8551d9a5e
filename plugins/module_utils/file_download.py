# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Downloading one file of a download session into ``dest``: prepare it, wait until it is PREPARED, stream it into
a temporary file while hashing, resume a broken stream where the endpoint allows it, verify, put it in place.

The decisions (what counts as right) are ``download_plans``'; the local file is ``download_files.PartFile``.
"""

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import PREPARE_STATUSES, unknown_value
from ansible_collections.vsphere.content.plugins.module_utils.download_files import PartFile
from ansible_collections.vsphere.content.plugins.module_utils.download_plans import algorithm_for, verification_problem
from ansible_collections.vsphere.content.plugins.module_utils.download_sessions import get_file, keep_alive, prepare_file
from ansible_collections.vsphere.content.plugins.module_utils.errors import ApiError, TransportError, VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.file_plans import progress_percent
from ansible_collections.vsphere.content.plugins.module_utils.file_reports import message_text
from ansible_collections.vsphere.content.plugins.module_utils.keep_alive import KeepAlive
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import wait_until
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.retry import transfer_retry_wait

PREPARED = "PREPARED"
ERROR = "ERROR"
# vCenter expires an idle session after five minutes by default; this keeps well inside that.
KEEP_ALIVE_INTERVAL = 30.0


class Transfer:
    """The session's downloads as a whole: the figures the result reports, and the keep-alive that shows their
    progress in the vSphere Client and keeps the session (and the API session) from expiring."""

    def __init__(self, client, session_id, total_bytes, clock, warnings):
        self.session_id = session_id
        self.total_bytes = total_bytes
        self.bytes_received = 0  # over the wire, restarts included
        self.bytes_done = 0  # of files completed, for the progress
        self.keep_alive = KeepAlive(lambda progress: keep_alive(client, session_id, progress),
                                    "download session %s" % session_id, KEEP_ALIVE_INTERVAL, clock, warnings)
        self.warnings = warnings

    def progress(self, in_flight):
        self.keep_alive.maybe(progress_percent(self.bytes_done + in_flight, self.total_bytes))


def prepare_files(client, transfer, names):
    """Ask vCenter to prepare every file at once, so that it prepares the next ones while the first downloads;
    {name: its File.Info as the prepare answered}."""
    return dict((name, prepare_file(client, transfer.session_id, name) or {}) for name in names)


def download_file(client, transfer, request, entry, asked, replaced, replace, sleep):
    """Download the item file ``entry`` (``asked``: the prepare's answer for it) into ``request.dest``; return its
    digest (in ``algorithm_for(entry)``). Nothing is left in ``dest`` unless the file verified; then it has
    replaced the local copy (``replaced``: there is one)."""
    name = entry["name"]
    info = wait_prepared(client, transfer, request, name, asked)
    uri = (info.get("download_endpoint") or {}).get("uri")
    if not uri:
        raise VSphereContentError("vCenter gave no download endpoint for %s" % name)
    with PartFile(request.dest, name, algorithm_for(entry)) as part:
        _fetch(client, transfer, request, name, uri, entry.get("size"), part, sleep)
        problem = verification_problem(name, entry, part.size, part.digest, part.algorithm, replaced)
        if problem:
            raise VSphereContentError("the download does not match the library item: %s" % problem)
        part.commit(replace)
        transfer.bytes_done += part.size
        return part.digest


def wait_prepared(client, transfer, request, name, info):
    """Wait until the file is PREPARED; ERROR fails with vCenter's message."""
    def read():
        transfer.keep_alive.maybe()
        info = get_file(client, transfer.session_id, name) or {}
        status = info.get("status")
        if status is not None and status not in PREPARE_STATUSES:
            warning = unknown_value("the prepare status", status, PREPARE_STATUSES, "file %s" % name)
            if warning not in transfer.warnings:  # waited through, as a status a later release adds
                transfer.warnings.append(warning)
        return info

    if info.get("status") not in (PREPARED, ERROR):
        info = wait_until(read, lambda info: info.get("status") in (PREPARED, ERROR), request.wait_timeout,
                          lambda info: VSphereContentError(
                              "%s was still %s %s seconds after it was asked for, not yet PREPARED (wait_timeout)"
                              % (name, info.get("status"), "%g" % request.wait_timeout)))
    if info["status"] == ERROR:
        raise VSphereContentError("vCenter could not prepare %s for download: %s"
                                  % (name, message_text(info.get("error_message")) or "no error message"))
    return info


def _fetch(client, transfer, request, name, uri, size, part, sleep):
    """Stream ``uri`` into ``part``; after a break, resume from the byte reached when the endpoint answers 206, else
    start over. At most ``request.retries`` more attempts."""
    attempts = request.retries + 1
    for attempt in range(1, attempts + 1):
        if size is not None and part.size == size and attempt > 1:
            return  # the break came after the last byte
        try:
            with client.download(uri, "the download of %s" % name, offset=part.size) as stream:
                if stream.start != part.size:
                    part.restart()  # the endpoint sent the whole file again: so is the hash started again
                for chunk in stream.chunks():
                    part.write(chunk)
                    transfer.bytes_received += len(chunk)
                    transfer.progress(part.size)
            return
        except (TransportError, ApiError) as exc:
            if attempt < attempts and exc.details.get("retryable"):
                sleep(transfer_retry_wait(request.retry_backoff, attempt))
                continue
            tries = " after %d attempts" % attempt if attempt > 1 else ""
            raise VSphereContentError("downloading %s failed%s: %s" % (name, tries, exc.msg))
