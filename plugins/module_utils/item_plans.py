# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Pure decisions about a library item's content: which files to send, replace or remove, what a diff
shows, and what the result reports. No I/O here.

Content is compared by checksum only: vCenter reports a file's ``size`` as the storage it uses, which
for a disk differs from the uploaded size, so sizes are never compared.
"""

import posixpath
from urllib.parse import urlsplit

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import WARNING_TYPES
from ansible_collections.vsphere.content.plugins.module_utils.checksums import (
    DEFAULT_API_ALGORITHM,
    algorithm_of,
    checksum_info,
    comparable_algorithm,
    matches,
)
from ansible_collections.vsphere.content.plugins.module_utils.local_content import METADATA_SUFFIXES

ITEM_TYPES = ("ovf", "iso", "file")


def infer_type(location):
    """The item type a ``src`` path or ``url`` implies: ``.ovf``/``.ova`` an OVF template, ``.iso`` an ISO image,
    anything else a generic file."""
    lower = source_name(location).lower()
    if lower.endswith((".ovf", ".ova")):
        return "ovf"
    if lower.endswith(".iso"):
        return "iso"
    return "file"


def source_name(location):
    """The file name of a local path or a URL."""
    path = urlsplit(location).path if "://" in location else location
    return posixpath.basename(path.replace("\\", "/"))


def api_type(item_type):
    """The ``type`` sent on create: a generic item has none."""
    return None if item_type == "file" else item_type


def item_type_of(item):
    """The module's name for an item's type adapter: ovf, iso, or file for any other (generic) item."""
    value = (item.get("type") or "").lower()
    return value if value in ("ovf", "iso") else "file"


def is_metadata(name):
    return name.lower().endswith(METADATA_SUFFIXES)


def hash_algorithms(stored_files):
    """The algorithms to hash local content with: the API's default, plus any the item's files report."""
    algorithms = {DEFAULT_API_ALGORITHM}
    algorithms.update(comparable_algorithm(stored.get("checksum_info")) for stored in stored_files)
    algorithms.discard(None)
    return algorithms


class WantedFile:
    """A file the new content brings: its ``digests`` ({algorithm: hex}) of a local copy, or none for a URL."""

    def __init__(self, name, digests=None, size=None, url=None):
        self.name = name
        self.digests = dict(digests or {})
        self.size = size
        self.url = url

    @property
    def is_metadata(self):
        return is_metadata(self.name)


class ContentPlan:
    """What one update session must do so that the item holds exactly the wanted files.

    ``added``, ``replaced``, ``unchanged`` and ``removed`` name the item's files; ``upload`` names the files to
    send, in order, which for a signed package also holds its manifest, certificate and descriptor.
    """

    def __init__(self, added, replaced, unchanged, removed, upload):
        self.added = added
        self.replaced = replaced
        self.unchanged = unchanged
        self.removed = removed
        self.upload = upload

    @property
    def changed(self):
        return bool(self.added or self.replaced or self.removed)

    @property
    def changes(self):
        return {"added": list(self.added), "replaced": list(self.replaced), "removed": list(self.removed)}


def plan_content(stored_files, wanted):
    """Compare the item's stored files with the ``wanted`` files (in upload order).

    A stored file without a checksum counts as different: it is sent again, never assumed equal.
    A manifest or certificate is never stored, so it is not compared; when anything is sent, a package's
    manifest and certificate go too, with its descriptor, so that vCenter verifies the digests and the
    signature over the new content.
    """
    stored = dict((entry["name"], entry) for entry in stored_files)
    added, replaced, unchanged = [], [], []
    for wanted_file in wanted:
        if wanted_file.is_metadata:
            continue
        current = stored.get(wanted_file.name)
        if current is None:
            added.append(wanted_file.name)
        elif wanted_file.digests and matches(current.get("checksum_info"), wanted_file.digests):
            unchanged.append(wanted_file.name)
        else:
            replaced.append(wanted_file.name)
    names = set(wanted_file.name for wanted_file in wanted)
    removed = sorted(name for name in stored if name not in names)
    sending = set(added + replaced)
    if sending and any(wanted_file.is_metadata for wanted_file in wanted):
        sending.update(wanted_file.name for wanted_file in wanted
                       if wanted_file.is_metadata or wanted_file.name.lower().endswith(".ovf"))
    upload = [wanted_file.name for wanted_file in wanted if wanted_file.name in sending]
    return ContentPlan(added, replaced, unchanged, removed, upload)


def upload_checksum(wanted_file, stored_files):
    """(algorithm, hex) to send for a file: in the algorithm the item reports for that name when this collection
    knows it, else the API's default."""
    stored = next((entry for entry in stored_files if entry["name"] == wanted_file.name), None)
    algorithm = comparable_algorithm((stored or {}).get("checksum_info")) or DEFAULT_API_ALGORITHM
    return algorithm, wanted_file.digests.get(algorithm)


def content_summary(files):
    """What a diff shows of an item's files: {name: "ALGORITHM:hex"}, or None for a file without a checksum."""
    summary = {}
    for entry in files:
        info = entry.get("checksum_info") or {}
        summary[entry["name"]] = "%s:%s" % (algorithm_of(info), info["checksum"]) if info.get("checksum") else None
    return summary


def predicted_files(stored_files, wanted):
    """The item's files after a successful run, for check mode: kept files as they are, the rest as wanted."""
    stored = dict((entry["name"], entry) for entry in stored_files)
    files = []
    for wanted_file in wanted:
        if wanted_file.is_metadata:
            continue
        current = stored.get(wanted_file.name)
        if current is not None and matches(current.get("checksum_info"), wanted_file.digests):
            files.append(dict(current))
            continue
        entry = {"name": wanted_file.name}
        if wanted_file.size is not None:
            entry["size"] = wanted_file.size
        algorithm, digest = upload_checksum(wanted_file, stored_files)
        if digest:
            entry["checksum_info"] = checksum_info(algorithm, digest)
        files.append(entry)
    return files


def mismatches(stored_files, wanted, names):
    """Why the item's stored files differ from what was sent for ``names``; [] when they match."""
    stored = dict((entry["name"], entry) for entry in stored_files)
    problems = []
    for wanted_file in wanted:
        if wanted_file.name not in names or wanted_file.is_metadata or not wanted_file.digests:
            continue
        current = stored.get(wanted_file.name)
        if current is None:
            problems.append("%s is not in the item" % wanted_file.name)
        elif comparable_algorithm(current.get("checksum_info")) and not matches(current["checksum_info"], wanted_file.digests):
            problems.append("%s has the %s checksum %s, not the one uploaded" % (
                wanted_file.name, algorithm_of(current["checksum_info"]), current["checksum_info"]["checksum"]))
    return problems


def item_view(item, files):
    """The ``library_item`` result: the item's model with its ``id`` and its ``files``."""
    view = dict(item)
    view["files"] = [dict(entry) for entry in files]
    return view


def warnings_refused(session_id, session, raised):
    """The failure message for the preview warnings ``raised`` that the policy does not ignore: each warning,
    and the options that would accept it."""
    texts = dict((warning.get("type"), (warning.get("message") or {}).get("default_message"))
                 for warning in (session.get("preview_info") or {}).get("warnings") or [])
    described = ["%s (%s)" % (name, texts[name]) if texts.get(name) else name for name in raised]
    refused = "the preview of update session %s raised %s, which the task does not ignore" % (
        session_id, "; ".join(described))
    unknown = [name for name in raised if name not in WARNING_TYPES]
    if unknown:  # a type a later release adds: warning_behavior's choices cannot name it
        return ("%s; %s %s not a warning type this collection knows, so warning_behavior cannot name %s: set "
                "ignore_preview_warnings to accept whatever the preview raises"
                % (refused, ", ".join(unknown), "is" if len(unknown) == 1 else "are", "it" if len(unknown) == 1 else "them"))
    return ("%s; to accept %s, list %s in warning_behavior, or set ignore_preview_warnings to accept whatever the "
            "preview raises" % (refused, "it" if len(raised) == 1 else "them", ", ".join(raised)))
