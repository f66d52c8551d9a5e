# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Pure decisions about one file of an update session: is it there already, what to add, what to
expect back, and what a diff shows. No I/O here.
"""

from ansible_collections.vsphere.content.plugins.module_utils.checksums import (
    algorithm_of,
    checksum_info,
    comparable_algorithm,
    matches,
)
from ansible_collections.vsphere.content.plugins.module_utils.file_reports import message_text

PUSH = "PUSH"
PULL = "PULL"
READY = "READY"
ERROR = "ERROR"
FINAL_STATUSES = (READY, ERROR)
# Adding these to a session is what makes vCenter preview and verify an OVF package, so the item's
# unchanged copy (source_type NONE) never stands in for them.
PACKAGE_METADATA_SUFFIXES = (".ovf", ".mf", ".cert")


class DesiredFile:
    """The content the task wants under ``name``.

    For PUSH: ``size`` and ``digests`` ({algorithm: hex}) of the local file, of which
    ``algorithm`` is the one sent to vCenter. For PULL: ``url``, ``thumbprint``, and
    ``digests`` only when the user gave a checksum.
    """

    def __init__(self, name, source_type, algorithm, digests=None, size=None, url=None, thumbprint=None):
        self.name = name
        self.source_type = source_type
        self.algorithm = algorithm
        self.digests = dict(digests or {})
        self.size = size
        self.url = url
        self.thumbprint = thumbprint

    @property
    def checksum(self):
        return self.digests.get(self.algorithm)

    @property
    def checksum_info(self):
        return checksum_info(self.algorithm, self.checksum) if self.checksum else None


def is_current(existing, desired):
    """Whether the session's file already holds the desired content, so nothing is sent.

    PUSH: READY with an equal checksum (in the server's algorithm) and, when known, the same size.
    PULL: READY from the same URL and, when the user gave a checksum, with that checksum.
    A file in ERROR, or whose checksum is unknown, is never current; nor is the item's own copy of an OVF
    descriptor, manifest or certificate, which must be added for vCenter to preview the package.
    """
    if not existing or existing.get("status") != READY:
        return False
    if existing.get("source_type") == "NONE" and desired.name.lower().endswith(PACKAGE_METADATA_SUFFIXES):
        return False
    if desired.source_type == PULL:
        source = (existing.get("source_endpoint") or {}).get("uri")
        return source == desired.url and (not desired.checksum or matches(existing.get("checksum_info"), desired.digests))
    if existing.get("size") is not None and existing["size"] != desired.size:
        return False
    return matches(existing.get("checksum_info"), desired.digests)


def algorithms_to_hash(user_algorithm, existing):
    """Every algorithm worth hashing the local file with: the one sent to vCenter, plus the one the
    session reports for its current copy, so one read of the file answers both."""
    wanted = {user_algorithm, comparable_algorithm((existing or {}).get("checksum_info"))}
    wanted.discard(None)
    return wanted


def add_spec(desired):
    """The AddSpec: with size and checksum_info, so that vCenter itself verifies what it receives."""
    spec = {"name": desired.name, "source_type": desired.source_type}
    if desired.source_type == PULL:
        endpoint = {"uri": desired.url}
        if desired.thumbprint:
            endpoint["ssl_certificate_thumbprint"] = desired.thumbprint
        spec["source_endpoint"] = endpoint
    else:
        spec["size"] = desired.size
    if desired.checksum_info:
        spec["checksum_info"] = desired.checksum_info
    return spec


def predicted_info(desired):
    """The File.Info a successful run would leave, for check mode."""
    info = {"name": desired.name, "source_type": desired.source_type, "status": READY,
            "bytes_transferred": desired.size or 0}
    if desired.size is not None:
        info["size"] = desired.size
    if desired.checksum_info:
        info["checksum_info"] = desired.checksum_info
    if desired.source_type == PULL:
        info["source_endpoint"] = {"uri": desired.url}
    return info


def file_summary(info):
    """What a diff shows of a file: name, size and checksum (and the source of a PULL); {} when absent."""
    if not info:
        return {}
    summary = {"name": info.get("name"), "size": info.get("size")}
    checksum = info.get("checksum_info") or {}
    summary["checksum"] = "%s:%s" % (algorithm_of(checksum), checksum["checksum"]) if checksum.get("checksum") else None
    source = (info.get("source_endpoint") or {}).get("uri")
    if source:
        summary["source"] = source
    return summary


def verification_problem(info, desired):
    """Why the file vCenter holds after an upload is not what was sent, or None when it is."""
    if info is None:
        return "vCenter no longer lists it"
    status = info.get("status")
    if status != READY:
        reason = message_text(info.get("error_message"))
        return "it is %s%s" % (status, ": %s" % reason if reason else "")
    received = info.get("checksum_info") or {}
    problems = []
    if desired.size is not None and info.get("size") != desired.size:
        problems.append("size: sent %s bytes, vCenter received %s" % (desired.size, info.get("size")))
    if desired.checksum and received.get("checksum") and not comparable_algorithm(received):
        problems.append("vCenter reports its checksum in %s, which this collection does not know, so it cannot be "
                        "verified" % algorithm_of(received))
    elif desired.checksum and not matches(received, desired.digests):
        problems.append("%s: expected %s, vCenter received %s" % (
            algorithm_of(received), desired.digests.get(algorithm_of(received), desired.checksum),
            received.get("checksum") or "no checksum"))
    return "; ".join(problems) or None


def progress_percent(sent, size):
    """Whole percent sent, from 0 to 100."""
    if not size:
        return 100
    return min(100, sent * 100 // size)


class KeepAliveSchedule:
    """When to call keep-alive during an upload, and which client_progress may be reported.

    vCenter accepts only a client_progress greater than the one it has, so a value that
    would not increase (after a retry started over) is left out of the call.
    """

    def __init__(self, interval, start, reported_progress=0):
        self.interval = interval
        self.last_call = start
        self.reported = reported_progress or 0

    def due(self, now):
        return now - self.last_call >= self.interval

    def progress_to_report(self, percent):
        return percent if percent > self.reported else None

    def called(self, now, progress):
        self.last_call = now
        if progress is not None:
            self.reported = progress
