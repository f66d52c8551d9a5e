# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The one update session that changes a library item's content, and the cleanup when it fails.

It opens the session, removes the files the new content no longer names, sends the files that differ with the
file workflow, answers the preview by the warning policy and completes with the session workflow: the same
calls the step-by-step modules make, in the order ``item_plans`` decided.
"""

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import note_unknown_values
from ansible_collections.vsphere.content.plugins.module_utils.checksums import DEFAULT_API_ALGORITHM
from ansible_collections.vsphere.content.plugins.module_utils.errors import UpdateSessionError, VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.file_transfer import (
    FileRequest,
    reconcile_session_file,
    wait_for_session_files,
)
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import upload_checksum, warnings_refused
from ansible_collections.vsphere.content.plugins.module_utils.library_items import delete_item
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import preview_is_ready, unignored_warnings
from ansible_collections.vsphere.content.plugins.module_utils.session_calls import (
    delete_update_session,
    find_update_session,
    get_update_session,
    open_update_session,
    session_action,
    wait_for_preview,
)
from ansible_collections.vsphere.content.plugins.module_utils.session_files import remove_file
from ansible_collections.vsphere.content.plugins.module_utils.update_sessions import (
    SessionRequest,
    reconcile_update_session,
)
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import ACTIVE, as_list


def update_content(client, request, item, stored, wanted, plan, outcome, sessions):
    """Send the planned change through one update session; ``sessions`` are the item's (none ACTIVE)."""
    item_id = item["id"]
    session = open_update_session(client, item_id, as_list(request.warning_behavior or {}), request.token_scope,
                                  [session["id"] for session in sessions])
    session_id = outcome.update_session_id = session["id"]
    for name in plan.removed:
        remove_file(client, session_id, name)
    if request.source_item is not None and plan.upload:
        request.source_item.prepare(plan.upload, outcome.warnings)
    by_name = dict((wanted_file.name, wanted_file) for wanted_file in wanted)
    sources = dict((local.name, local) for local in request.files)
    for name in plan.upload:
        _report(outcome, _send(client, request, session_id, by_name[name], sources.get(name), stored))
    if request.url:
        note_unknown_values(outcome.warnings, files=wait_for_session_files(client, session_id, request.wait_timeout))
    _answer_preview(client, request, session_id, any(name.lower().endswith((".ovf", ".ova")) for name in plan.upload),
                    outcome)
    _report(outcome, reconcile_update_session(client, SessionRequest(
        update_session_id=session_id, state="completed", wait_timeout=request.wait_timeout), False))


def _report(outcome, step):
    """The warnings of one step (a file sent, the session answered or completed) are the task's."""
    outcome.warnings.extend(warning for warning in step.warnings if warning not in outcome.warnings)


def _send(client, request, session_id, wanted_file, local, stored):
    if wanted_file.url is not None:
        algorithm, digest = next(iter(wanted_file.digests.items()), (DEFAULT_API_ALGORITHM, None))
        file_request = FileRequest(session_id, wanted_file.name, url=wanted_file.url, url_thumbprint=request.url_thumbprint,
                                   checksum_algorithm=algorithm, checksum=digest, wait_timeout=request.wait_timeout)
    else:
        algorithm, digest = upload_checksum(wanted_file, stored)
        file_request = FileRequest(session_id, wanted_file.name, source=local, checksum_algorithm=algorithm,
                                   checksum=digest, wait_timeout=request.wait_timeout, retries=request.retries,
                                   retry_backoff=request.retry_backoff)
    return reconcile_session_file(client, file_request, False)


def _answer_preview(client, request, session_id, has_descriptor, outcome):
    """Apply the warning policy to the preview, and refuse to complete over a warning it does not ignore.

    The preview is waited for only when a descriptor was sent: vCenter previews OVF content, nothing else.
    """
    def observe(session):
        note_unknown_values(outcome.warnings, session, label="update session %s" % session_id)

    session = get_update_session(client, session_id)
    if has_descriptor and not preview_is_ready(session):
        session = wait_for_preview(client, session_id, request.preview_timeout, observe)
    observe(session)
    if request.ignore_preview_warnings or request.purge_warning_behavior:
        answered = reconcile_update_session(client, SessionRequest(
            update_session_id=session_id, warning_behavior=request.warning_behavior or {},
            purge_warning_behavior=request.purge_warning_behavior,
            ignore_preview_warnings=request.ignore_preview_warnings and (has_descriptor or preview_is_ready(session)),
            preview_timeout=request.preview_timeout), False)
        _report(outcome, answered)
        session = answered.session
    raised = unignored_warnings(session)
    if raised:
        raise UpdateSessionError(warnings_refused(session_id, session, raised), preview_warnings=raised)


def cleaned_up(client, exc, session_id, item, created, changed):
    """Cancel and delete the session, and delete an item this run created; the error says what was left."""
    done = []
    try:
        if session_id is not None:
            session = find_update_session(client, session_id)
            if session is not None and session["state"] == ACTIVE:
                session_action(client, session_id, "cancel")
            delete_update_session(client, session_id)
            done.append("update session %s was canceled and deleted" % session_id)
        if created:
            delete_item(client, item["id"])
            done.append("library item %s, which this task created, was deleted" % item["id"])
        else:
            done.append("library item %s was left as it was" % item["id"])
    except VSphereContentError as cleanup:
        done.append("cleaning up failed too (%s)" % cleanup.msg)
    details = dict(exc.details)
    details["changed"] = changed
    return UpdateSessionError("%s; %s" % (exc.msg, ", and ".join(done)), **details)
