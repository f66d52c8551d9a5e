# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Pure decisions of a copy from a source item: what the target must hold, in which order it is sent, and what the
result says of the source. No I/O here; the comparison itself is ``item_plans.plan_content``'s."""

from ansible_collections.vsphere.content.plugins.module_utils.checksums import comparable_algorithm
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import WantedFile, is_metadata, item_type_of


def upload_order(files):
    """The source's files in the order an update session takes them: a manifest and certificate, then the
    descriptor, then the rest as the source lists them."""
    def rank(entry):
        name = entry["name"].lower()
        return 0 if is_metadata(name) else 1 if name.endswith(".ovf") else 2

    return sorted(files, key=rank)  # stable: the listing's order within each rank


def wanted_from_source(files):
    """A WantedFile per source file, in upload order, with the checksum the source reports (none when it reports
    none, or one in an algorithm this collection does not know: such a file is always sent)."""
    wanted = []
    for entry in upload_order(files):
        info = entry.get("checksum_info") or {}
        algorithm = comparable_algorithm(info)
        digests = {algorithm: info["checksum"].strip().lower()} if algorithm else {}
        wanted.append(WantedFile(entry["name"], digests, entry.get("size")))
    return wanted


def copied_type(source, given):
    """The target's type: the source item's. A ``type`` the user gave must agree."""
    source_type = item_type_of(source)
    if given is not None and given != source_type:
        raise InvalidOptionError("type=%s does not fit src_item %s (%s), which is of type %s"
                                 % (given, source.get("name"), source["id"], source_type))
    return source_type


def source_summary(item, host):
    """The ``source_item`` result."""
    return {"id": item["id"], "name": item.get("name"), "content_version": item.get("content_version"), "host": host}
