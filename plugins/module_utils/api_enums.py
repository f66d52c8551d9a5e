# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The API's enumerations that the collection reads, as vSphere 7.0.3 to 9.1 define them, and what a run
says of a value a later release adds. No I/O here.

A value not listed is reported (``unknown_values``) and handled where it is met: the run goes on where
that is safe, and otherwise fails in one line naming the value (docs/wire-format.md).
"""

SESSION_STATES = ("ACTIVE", "DONE", "ERROR", "CANCELED")
PREVIEW_STATES = ("UNAVAILABLE", "PREPARING", "AVAILABLE", "NOT_APPLICABLE")
WARNING_TYPES = ("SELF_SIGNED_CERTIFICATE", "EXPIRED_CERTIFICATE", "NOT_YET_VALID_CERTIFICATE", "UNTRUSTED_CERTIFICATE")
TRANSFER_STATUSES = ("WAITING_FOR_TRANSFER", "TRANSFERRING", "READY", "VALIDATING", "ERROR")
SOURCE_TYPES = ("NONE", "PUSH", "PULL")
CHECKSUM_ALGORITHMS = ("SHA1", "MD5", "SHA256", "SHA512")
PREPARE_STATUSES = ("UNPREPARED", "PREPARE_REQUESTED", "PREPARING", "PREPARED", "ERROR")


def is_unknown(value, known):
    return value is not None and value not in known


def unknown_value(what, value, known, where=""):
    """The sentence for a value of ``what`` (of ``where``) that this collection does not know."""
    return "vCenter reported %s %s%s, which this collection does not know (it knows %s)" % (
        what, value, " of %s" % where if where else "", ", ".join(known))


def note_unknown_values(warnings, session=None, files=(), label=None):
    """Append to ``warnings`` each sentence of ``unknown_values`` it does not hold yet."""
    warnings.extend(sentence for sentence in unknown_values(session, files, label) if sentence not in warnings)


def unknown_values(session=None, files=(), label=None):
    """A sentence for each value an update session or a list of files (session or item File.Info) carries
    that this collection does not know, in order, each once."""
    found = []

    def note(what, value, known, where=label):
        if is_unknown(value, known):
            sentence = unknown_value(what, value, known, where)
            if sentence not in found:
                found.append(sentence)

    if session:
        note("the state", session.get("state"), SESSION_STATES)
        preview = session.get("preview_info") or {}
        note("the preview state", preview.get("state"), PREVIEW_STATES)
        for warning in preview.get("warnings") or []:
            note("the preview warning", warning.get("type"), WARNING_TYPES)
        for entry in session.get("warning_behavior") or []:
            note("the warning type", entry.get("type"), WARNING_TYPES)
    for info in files or ():
        name = "file %s" % info.get("name")
        note("the status", info.get("status"), TRANSFER_STATUSES, name)
        note("the source type", info.get("source_type"), SOURCE_TYPES, name)
        note("the checksum algorithm", (info.get("checksum_info") or {}).get("algorithm"), CHECKSUM_ALGORITHMS, name)
    return found
