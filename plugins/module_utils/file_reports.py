# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""What vCenter's answers about a session's files say, fit for results and errors: a File.Info without its
upload address, a LocalizableMessage's text, a ValidationResult's problems. No I/O here.
"""


def reportable(info):
    """A File.Info fit for results and errors: without the upload address, which lets anyone who has it
    send content into the session."""
    if info is None:
        return None
    return dict((key, value) for key, value in info.items() if key != "upload_endpoint")


def message_text(message):
    """The text of a LocalizableMessage, or None."""
    message = message or {}
    return message.get("default_message") or message.get("id")


def validation_problems(result):
    """Each problem of a ValidationResult as 'name: reason', missing files first; [] when there is none."""
    result = result or {}
    problems = ["%s: missing (not added to the session)" % name for name in sorted(result.get("missing_files") or [])]
    for invalid in sorted(result.get("invalid_files") or [], key=lambda entry: entry.get("name") or ""):
        problems.append("%s: %s" % (invalid.get("name"), message_text(invalid.get("error_message")) or "invalid"))
    if result.get("has_errors") and not problems:
        problems.append("vCenter reported errors without naming a file")
    return problems
