# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Pure decisions of ``content_library_item_download``: which of the item's files to fetch, which local copies
must be hashed to decide it, whether they fit, whether what arrived is right, and what the result and the diff
show. No I/O here.

An item file is the API's ``ItemFileInfo``: ``name``, ``size`` and, usually, ``checksum_info``. A local copy is
its size (None when there is none) and, only when it had to be hashed, its digest in the item's algorithm.
"""

from ansible_collections.vsphere.content.plugins.module_utils.checksums import (
    DEFAULT_API_ALGORITHM,
    comparable_algorithm,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError, VSphereContentError

OVERWRITE_CHOICES = ("different", "always", "never")


class DownloadPlan:
    """``fetch``: the names to download, in the item's order; ``same``: local copies equal to the item's;
    ``kept``: local copies left alone (``overwrite=never``), equal or not. ``reasons``: why each is fetched."""

    def __init__(self):
        self.fetch = []
        self.same = []
        self.kept = []
        self.reasons = {}

    @property
    def changed(self):
        return bool(self.fetch)


def select_files(item_label, item_files, requested):
    """The item files to download, in the item's order: all of them, or those ``requested`` (each must exist)."""
    names = [entry["name"] for entry in item_files]
    if requested is None:
        selected = item_files
    else:
        unknown = [name for name in requested if name not in names]
        if unknown:
            raise VSphereContentError("%s holds no file named %s; it holds %s" % (
                item_label, ", ".join(unknown), ", ".join(names) if names else "no files"), item_files=names)
        selected = [entry for entry in item_files if entry["name"] in requested]
    for entry in selected:
        if not is_file_name(entry["name"]):
            raise VSphereContentError("the item holds a file named %r, which cannot be written as dest/<name>"
                                      % entry["name"])
    return selected


def is_file_name(name):
    """Whether ``name`` is a plain file name: a file is written as dest/<name>, and must stay in dest."""
    return bool(name) and name not in (".", "..") and not any(char in name for char in "/\\\0")


def algorithm_for(entry):
    """The algorithm a file is hashed with: the item's when it reports a checksum this collection computes, else
    the API's default (for the result only: such a file is always fetched)."""
    return comparable_algorithm(entry.get("checksum_info")) or DEFAULT_API_ALGORITHM


def needs_hash(entry, local_size, overwrite):
    """Whether the local copy must be hashed to decide: size first, so a copy of another size is never read."""
    return (overwrite == "different" and local_size is not None and local_size == entry.get("size")
            and comparable_algorithm(entry.get("checksum_info")) is not None)


def plan_download(files, local_sizes, local_digests, overwrite):
    """What to fetch; ``local_sizes`` {name: size or None}, ``local_digests`` {name: hex} for the copies hashed."""
    if overwrite not in OVERWRITE_CHOICES:
        raise InvalidOptionError("overwrite must be one of %s" % ", ".join(OVERWRITE_CHOICES))
    plan = DownloadPlan()
    for entry in files:
        name = entry["name"]
        size = local_sizes.get(name)
        reason = _reason_to_fetch(entry, size, local_digests.get(name), overwrite)
        if reason is None:
            plan.same.append(name)
        elif reason == "kept":
            plan.kept.append(name)
        else:
            plan.fetch.append(name)
            plan.reasons[name] = reason
    return plan


def _reason_to_fetch(entry, local_size, local_digest, overwrite):
    if local_size is None:
        return "missing"
    if overwrite == "never":
        return "kept"
    if overwrite == "always":
        return "always"
    if local_size != entry.get("size"):
        return "size"
    info = entry.get("checksum_info")
    if comparable_algorithm(info) is None:
        return "no checksum"
    if local_digest != info["checksum"].strip().lower():
        return "checksum"
    return None


def bytes_to_fetch(files, plan):
    return sum(entry.get("size") or 0 for entry in files if entry["name"] in plan.fetch)


def space_problem(dest, needed, available):
    """The sentence for too little free space in ``dest``, or None."""
    if needed <= available:
        return None
    return ("dest %s has %d bytes free, and the files to download need %d; nothing was downloaded"
            % (dest, available, needed))


def verification_problem(name, entry, size, digest, algorithm, replaced):
    """Why the bytes that arrived for ``name`` are not the item's, or None. ``replaced``: a local copy exists."""
    untouched = "the local file %s is untouched" % name if replaced else "no local file was written"
    if entry.get("size") is not None and size != entry["size"]:
        return "%s: %d bytes arrived, and the item reports %d; %s" % (name, size, entry["size"], untouched)
    info = entry.get("checksum_info")
    if comparable_algorithm(info) == algorithm and digest != info["checksum"].strip().lower():
        return "%s: the %s of what arrived is %s, and the item reports %s; %s" % (
            name, algorithm, digest, info["checksum"].strip().lower(), untouched)
    return None


def checksum_text(algorithm, digest):
    """A checksum as results and diffs show it (and as ``content_library_item``'s ``checksum`` takes it)."""
    return "%s:%s" % (algorithm, digest) if digest else None


def local_view(files, local_sizes, local_digests):
    """What a diff shows of the local copies: {name: {size, checksum}}; the checksum only of a copy hashed."""
    view = {}
    for entry in files:
        size = local_sizes.get(entry["name"])
        if size is not None:
            digest = local_digests.get(entry["name"])
            view[entry["name"]] = {"size": size, "checksum": checksum_text(algorithm_for(entry), digest)}
    return view


def item_view(files):
    """What a diff shows of the item's copies, as they will be in dest: {name: {size, checksum}}."""
    view = {}
    for entry in files:
        info = entry.get("checksum_info") or {}
        view[entry["name"]] = {"size": entry.get("size"), "checksum": checksum_text(algorithm_for(entry), (
            info.get("checksum") or "").strip().lower() if comparable_algorithm(info) else None)}
    return view


def item_summary(item):
    """The item as the result names it."""
    return dict((key, item.get(key)) for key in ("id", "name", "type", "content_version", "library_id"))
