# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Getting a library item's files into a local directory: the workflow behind ``content_library_item_download``.

It finds the item, compares its files with the local copies (size first, then the checksum in the item's
algorithm), and only when some differ opens one download session, fetches exactly those, and deletes the session
on every path. The decisions are ``download_plans``'; one file's download is ``file_download``'s.
"""

import os
import time
import uuid

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import note_unknown_values
from ansible_collections.vsphere.content.plugins.module_utils.download_files import (
    check_dest,
    free_bytes,
    hash_file,
    local_size,
    make_dest,
)
from ansible_collections.vsphere.content.plugins.module_utils.download_plans import (
    algorithm_for,
    bytes_to_fetch,
    checksum_text,
    item_summary,
    item_view,
    local_view,
    needs_hash,
    plan_download,
    select_files,
    space_problem,
)
from ansible_collections.vsphere.content.plugins.module_utils.download_sessions import (
    delete_download_session,
    open_download_session,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import TaskCanceled, VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.file_download import (
    Transfer,
    download_file,
    prepare_files,
)
from ansible_collections.vsphere.content.plugins.module_utils.item_lookup import library_id_of, locate_item
from ansible_collections.vsphere.content.plugins.module_utils.library_items import list_item_files
from ansible_collections.vsphere.content.plugins.module_utils.lifecycle import client_token


class DownloadRequest:
    """What the user asked for, in the module's terms; options already validated. ``files`` None means all."""

    state = "present"  # the item must exist (item_lookup)

    def __init__(self, dest, library_id=None, library_name=None, library_item_id=None, name=None, files=None,
                 overwrite="different", wait_timeout=600.0, retries=3, retry_backoff=1.0, token_scope=None):
        self.dest = dest
        self.library_id = library_id
        self.library_name = library_name
        self.library_item_id = library_item_id
        self.name = name
        self.files = files
        self.overwrite = overwrite
        self.wait_timeout = wait_timeout
        self.retries = retries
        self.retry_backoff = retry_backoff
        self.token_scope = token_scope or {}
        # Part of the session's client_token: the same within this run, new in the next.
        self.run_id = uuid.uuid4().hex


class DownloadOutcome:
    """What a run did (or in check mode would do): the item, each requested file's local copy, the figures."""

    def __init__(self, dest):
        self.changed = False
        self.item = None
        self.files = []
        self.downloaded = []
        self.bytes_downloaded = 0
        self.seconds = 0.0
        self.download_session_id = None
        self.before = {}
        self.after = {}
        self.label = "dest %s" % dest
        self.warnings = []

    @property
    def diff(self):
        return {"before": self.before, "after": self.after, "before_header": self.label, "after_header": self.label}


class _Local:
    """The local copies of the item's files in dest: sizes, and the digests of those that had to be hashed."""

    def __init__(self, dest, files, overwrite):
        self.dest_exists = check_dest(dest)
        self.paths = dict((entry["name"], os.path.join(dest, entry["name"])) for entry in files)
        self.sizes = dict((name, local_size(path) if self.dest_exists else None) for name, path in self.paths.items())
        self.digests = dict((entry["name"], hash_file(self.paths[entry["name"]], algorithm_for(entry)))
                            for entry in files if needs_hash(entry, self.sizes[entry["name"]], overwrite))


def download_item(client, request, check_mode, replace=os.replace, clock=time.monotonic, sleep=time.sleep):
    """Bring ``request.dest`` to hold the item's files; return a DownloadOutcome. Check mode opens and writes
    nothing. ``replace(temporary, final)`` puts a verified file in place."""
    outcome = DownloadOutcome(request.dest)
    item = locate_item(client, request, library_id_of(client, request))
    if item is None:
        raise VSphereContentError("library %s has no item named %s" % (request.library_name or request.library_id,
                                                                       request.name), status=404)
    outcome.item = item_summary(item)
    stored = list_item_files(client, item["id"])
    note_unknown_values(outcome.warnings, files=stored)  # an unknown checksum algorithm: the file is fetched
    files = select_files("library item %s (%s)" % (item.get("name"), item["id"]), stored, request.files)
    local = _Local(request.dest, files, request.overwrite)
    plan = plan_download(files, local.sizes, local.digests, request.overwrite)
    outcome.changed = plan.changed or not local.dest_exists
    outcome.downloaded = list(plan.fetch)
    outcome.before = local_view(files, local.sizes, local.digests)
    outcome.after = dict(outcome.before)
    outcome.after.update(dict((name, view) for name, view in item_view(files).items() if name in plan.fetch))
    if outcome.changed and not check_mode:
        if not local.dest_exists:
            make_dest(request.dest)
        if plan.changed:
            _download(client, request, item, files, plan, local, outcome, replace, clock, sleep)
    outcome.files = [dict(outcome.after[entry["name"]], name=entry["name"], path=local.paths[entry["name"]])
                     for entry in files]
    return outcome


def _download(client, request, item, files, plan, local, outcome, replace, clock, sleep):
    """Fetch the planned files in one download session, deleted whatever happens; ``outcome.after`` gets what
    each file verified as."""
    needed = bytes_to_fetch(files, plan)
    problem = space_problem(request.dest, needed, free_bytes(request.dest))
    if problem:
        raise VSphereContentError(problem)
    token = client_token(scope=request.token_scope, library_item_id=item["id"], run=request.run_id, download=True)
    try:
        session_id = outcome.download_session_id = open_download_session(client, item["id"], token)
    except TaskCanceled as canceled:
        session_id = canceled.details.pop("download_session_id", None)
        if session_id is None:
            raise
        raise VSphereContentError("%s; %s" % (canceled.msg, _ended(client, session_id)), changed=False)
    transfer = Transfer(client, session_id, needed, clock, outcome.warnings)
    started = clock()
    done = []
    try:
        asked = prepare_files(client, transfer, plan.fetch)
        for entry in files:
            if entry["name"] in plan.fetch:
                replaced = local.sizes[entry["name"]] is not None
                digest = download_file(client, transfer, request, entry, asked[entry["name"]], replaced, replace, sleep)
                outcome.after[entry["name"]] = {"size": entry.get("size"),
                                                "checksum": checksum_text(algorithm_for(entry), digest)}
                done.append(entry["name"])
    except BaseException as exc:
        ended = _ended(client, session_id)
        if not isinstance(exc, VSphereContentError):
            raise
        details = dict(exc.details, changed=bool(done), downloaded=done, download_session_id=session_id)
        raise VSphereContentError("%s; %s" % (exc.msg, ended), **details)
    finally:
        outcome.seconds = clock() - started
        outcome.bytes_downloaded = transfer.bytes_received
    failure = _end(client, session_id)
    if failure is not None:
        outcome.warnings.append("deleting download session %s failed (%s); vCenter ends it when it expires"
                                % (session_id, failure))


def _ended(client, session_id):
    """Delete the download session after a failure; what the error adds."""
    failure = _end(client, session_id)
    return ("download session %s was deleted" % session_id if failure is None
            else "deleting download session %s failed too (%s)" % (session_id, failure))


def _end(client, session_id):
    """Delete the download session; None, or why it could not be."""
    try:
        delete_download_session(client, session_id)
    except VSphereContentError as exc:
        return exc.msg
    return None
