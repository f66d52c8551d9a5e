# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Putting a library item's content in place in one task: the workflow behind ``content_library_item``.

It finds the library and the item, compares checksums, and only when something differs opens one update
session that brings exactly the files that differ, answers the preview by the warning policy, and completes.
The calls are those of the step-by-step modules; the decisions are ``item_plans``'. Anything that fails
after the session was opened cancels and deletes it, and deletes the item when this run created it.
"""

import uuid

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import WARNING_TYPES, note_unknown_values
from ansible_collections.vsphere.content.plugins.module_utils.errors import (
    ApiError,
    TaskCanceled,
    UpdateSessionError,
    VSphereContentError,
)
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import (
    WantedFile,
    api_type,
    content_summary,
    hash_algorithms,
    item_view,
    mismatches,
    plan_content,
    predicted_files,
)
from ansible_collections.vsphere.content.plugins.module_utils.item_lookup import (
    check_type,
    idle_update_sessions,
    library_id_of,
    locate_item,
)
from ansible_collections.vsphere.content.plugins.module_utils.library_items import (
    copy_item,
    create_item,
    delete_item,
    find_item,
    list_item_files,
    update_item_description,
)
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import client_token
from ansible_collections.vsphere.content.plugins.module_utils.ovf_manifest import (
    ManifestError,
    manifest_algorithms,
    manifest_problems,
    parse_manifest,
)


class ItemRequest:
    """What the user asked for, in the module's terms; options already validated.

    ``files`` are the ``LocalFile``s of ``src`` in upload order and ``wanted`` their ``WantedFile``s, filled in
    by the workflow once it knows which algorithms to hash with; for ``url``, ``wanted`` is the one file pulled.
    """

    def __init__(self, library_id=None, library_name=None, library_item_id=None, name=None, item_type=None,
                 description=None, files=None, wanted=None, url=None, url_thumbprint=None, state="present",
                 warning_behavior=None, purge_warning_behavior=False, ignore_preview_warnings=False,
                 preview_timeout=300.0, wait_timeout=600.0, retries=3, retry_backoff=1.0, token_scope=None,
                 source=None, source_connection=None):
        self.library_id = library_id
        self.library_name = library_name
        self.library_item_id = library_item_id
        self.name = name
        self.item_type = item_type
        self.description = description
        self.files = files or []
        self.wanted = wanted
        self.url = url
        self.url_thumbprint = url_thumbprint
        self.state = state
        self.warning_behavior = warning_behavior
        self.purge_warning_behavior = purge_warning_behavior
        self.ignore_preview_warnings = ignore_preview_warnings
        self.preview_timeout = preview_timeout
        self.wait_timeout = wait_timeout
        self.retries = retries
        self.retry_backoff = retry_backoff
        self.token_scope = token_scope or {}
        # src_item: where the item to copy is (a SourceLocation), and its vCenter's connection options (None: the
        # target's); once found, source_item is the SourceItem whose files are sent.
        self.source = source
        self.source_connection = source_connection
        self.source_token_scope = {}
        self.source_item = None
        # Part of the item's client_token: the same within this run, new in the next.
        self.run_id = uuid.uuid4().hex


class ItemOutcome:
    """What a run did: changed, the item afterwards (or as predicted), the files sent, and a diff."""

    def __init__(self):
        self.changed = False
        self.item = None
        self.uploaded = []
        self.changes = {"added": [], "replaced": [], "removed": []}
        self.update_session_id = None
        self.source_item = None
        self.before = {}
        self.after = {}
        self.label = None
        self.warnings = []

    @property
    def diff(self):
        return {"before": self.before, "after": self.after, "before_header": self.label, "after_header": self.label}


def reconcile_library_item(client, request, check_mode):
    """Bring one library item to ``request``; return an ItemOutcome. Check mode sends no write."""
    outcome = ItemOutcome()
    library_id = library_id_of(client, request)
    item = locate_item(client, request, library_id)
    outcome.label = "library item %s" % (item["name"] if item else request.name)
    if request.state == "absent":
        return _remove(client, item, check_mode, outcome)
    if item is not None:
        check_type(item, request.item_type)
    stored = list_item_files(client, item["id"]) if item else []
    note_unknown_values(outcome.warnings, files=stored)  # an unknown checksum algorithm counts as a difference
    wanted = request.wanted if request.wanted is not None else _hash_local(request, stored)
    plan = plan_content(stored, wanted)
    outcome.before = _summary(item, stored)
    describe = request.description is not None and item is not None and item.get("description") != request.description
    if not plan.changed and not describe:
        outcome.item, outcome.after = item_view(item, stored), outcome.before
        return outcome
    outcome.changed = True
    # The source is on this vCenter and the item is new: vCenter copies it, and no byte passes through this host.
    copying = item is None and request.source_item is not None and request.source_item.client is client
    outcome.uploaded, outcome.changes = [] if copying else list(plan.upload), plan.changes
    # Checked in check mode too: the run it predicts would fail here.
    sessions = idle_update_sessions(client, item["id"]) if plan.changed and item is not None else []
    if check_mode:
        _warn_of_the_preview(request, plan, outcome)
        predicted = dict(item or {"id": None, "name": request.name, "library_id": library_id, "type": api_type(request.item_type)})
        if request.description is not None:
            predicted["description"] = request.description
        outcome.item = item_view(predicted, predicted_files(stored, wanted) if plan.changed else stored)
        outcome.after = _summary(predicted, outcome.item["files"])
        return outcome
    if describe:
        update_item_description(client, item["id"], request.description)
    created = item is None
    if created:
        item = _create_item(client, request, library_id, copying)
    if plan.changed and not copying:
        # Imported here: an unchanged item, the usual re-run, does not compile the update-session workflow.
        from ansible_collections.vsphere.content.plugins.module_utils.item_session import cleaned_up, update_content

        try:
            update_content(client, request, item, stored, wanted, plan, outcome, sessions)
        except VSphereContentError as exc:
            session_id = outcome.update_session_id or exc.details.get("update_session_id")
            raise cleaned_up(client, exc, session_id, item, created, changed=describe)
    item, files = find_item(client, item["id"]), list_item_files(client, item["id"])
    problems = mismatches(files, wanted, plan.upload)
    if problems:
        raise UpdateSessionError("library item %s does not hold what was uploaded: %s" % (item["id"], "; ".join(problems)),
                                 changed=True, library_item=item_view(item, files))
    note_unknown_values(outcome.warnings, files=files)
    outcome.item = item_view(item, files)
    outcome.after = _summary(item, files)
    return outcome


def _hash_local(request, stored):
    """Hash every local file once, with each algorithm the comparison, the upload or the package's manifest
    needs; a package that does not match its manifest fails here, before any session is opened."""
    manifest = next((local for local in request.files if local.name.lower().endswith(".mf")), None)
    entries = _read_manifest(manifest) if manifest else {}
    algorithms = hash_algorithms(stored) | manifest_algorithms(entries)
    wanted = []
    for local in request.files:
        digests, size = local.digests(algorithms)
        wanted.append(WantedFile(local.name, digests, size))
    if manifest:
        problems = manifest_problems(entries, manifest.name, dict((file.name, file.digests) for file in wanted))
        if problems:
            raise VSphereContentError("the package does not match its manifest: %s" % "; ".join(problems))
    request.wanted = wanted
    return wanted


def _read_manifest(manifest):
    try:
        return parse_manifest(manifest.read_all().decode("utf-8", "replace"), manifest.name)
    except ManifestError as exc:
        raise VSphereContentError(str(exc))


def _warn_of_the_preview(request, plan, outcome):
    """Check mode cannot know what vCenter's preview of a signed package raises: say so when the warning
    policy could refuse it."""
    if not any(name.lower().endswith(".cert") for name in plan.upload):
        return
    # What the run will apply: every type ignored or not by ignore_preview_warnings, the listed ones as listed.
    policy = dict.fromkeys(WARNING_TYPES, request.ignore_preview_warnings)
    policy.update(request.warning_behavior or {})
    refusable = sorted(name for name, ignored in policy.items() if not ignored)
    if refusable:
        outcome.warnings.append(
            "check mode cannot know what vCenter's preview of the signed package will raise; the run fails if it "
            "raises a warning the task does not ignore (%s)" % ", ".join(refusable))


def _summary(item, files):
    if item is None:
        return {}
    return {"name": item.get("name"), "description": item.get("description"), "files": content_summary(files)}


# -- changing -------------------------------------------------------------------------------


def _create_item(client, request, library_id, copying):
    """Create the item, or have vCenter copy the source into it (``copying``). Its client_token is fixed for this run,
    so the client's resend of a create whose answer was lost gets the same item; a later run finds the item by name
    instead. A cancel while the item is being created deletes it, whether or not its id had arrived."""
    token = client_token(scope=request.token_scope, library_id=library_id, name=request.name,
                         type=request.item_type, run=request.run_id, copy=copying)

    def create():
        if copying:
            return copy_item(client, request.source_item.item["id"], library_id, request.name, request.description,
                             token)
        return create_item(client, library_id, request.name, api_type(request.item_type), request.description, token)

    try:
        item_id = create()
        item = find_item(client, item_id)
    except ApiError as exc:
        if exc.error_type != "ALREADY_EXISTS":
            raise
        raise UpdateSessionError("library %s got an item named %s while this task ran (another task?); "
                                 "run the task again to update it" % (library_id, request.name))
    except TaskCanceled as exc:
        raise _undo_creation(client, request, library_id, create, exc)
    if item is None:
        raise UpdateSessionError("library item %s, just created, is gone" % item_id)
    return item


def _undo_creation(client, request, library_id, create, canceled):
    """The create may have been carried out: sent again with the same client_token, it answers that item's id (or
    makes the item now), which is then deleted. The error says what was done."""
    try:
        item_id = create()
        delete_item(client, item_id)
        done = "library item %s, which this task created, was deleted" % item_id
    except VSphereContentError as exc:
        done = "whether library %s got an item named %s could not be told (%s)" % (library_id, request.name, exc.msg)
    return UpdateSessionError("%s; %s" % (canceled.msg, done), changed=False)


def _remove(client, item, check_mode, outcome):
    if item is None:
        return outcome
    stored = list_item_files(client, item["id"])
    outcome.before = _summary(item, stored)
    outcome.item = item_view(item, stored)  # what is deleted, or in check mode would be
    outcome.changed = True
    if not check_mode:
        delete_item(client, item["id"])
    return outcome
