# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Finding what ``content_library_item`` works on: the library, the item, and whether the item is free for an
update session. Each failure names what was looked for and what there is."""

from ansible_collections.vsphere.content.plugins.module_utils.errors import TaskCanceled, UpdateSessionError, VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.item_plans import item_type_of
from ansible_collections.vsphere.content.plugins.module_utils.library_items import (
    find_item,
    find_item_ids,
    find_library_ids,
    library_names,
)
from ansible_collections.vsphere.content.plugins.module_utils.session_calls import list_update_sessions
from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import ACTIVE


def library_id_of(client, request):
    """The library's id: given, or found by its name (which must name exactly one)."""
    if request.library_id is not None or request.library_name is None:
        return request.library_id
    ids = find_library_ids(client, request.library_name)
    if not ids:
        raise UpdateSessionError("no library is named %s%s" % (request.library_name, _existing_libraries(client)))
    if len(ids) > 1:
        raise UpdateSessionError("%d libraries are named %s (%s); give library_id instead"
                                 % (len(ids), request.library_name, ", ".join(sorted(ids))), library_ids=sorted(ids))
    return ids[0]


def _existing_libraries(client, shown=10):
    """What to add to "no library is named X": the names there are, or nothing when they cannot be read."""
    try:
        names, count = library_names(client, shown)
    except TaskCanceled:
        raise
    except VSphereContentError:
        return ""
    if not count:
        return "; this user sees no library"
    more = " and %d more" % (count - len(names)) if count > len(names) else ""
    return "; the libraries this user sees are %s%s" % (", ".join(names), more)


def locate_item(client, request, library_id):
    """The item by id (which must exist, unless it is to be absent) or by name in the library (None when there is none)."""
    if request.library_item_id is not None:
        item = find_item(client, request.library_item_id)
        if item is None and request.state == "absent":
            return None
        if item is None:
            raise UpdateSessionError("library item %s not found" % request.library_item_id, status=404)
        if library_id is not None and item.get("library_id") != library_id:
            raise UpdateSessionError("library item %s is in library %s, not %s"
                                     % (item["id"], item.get("library_id"), library_id))
        return item
    ids = find_item_ids(client, library_id, request.name)
    if len(ids) > 1:
        raise UpdateSessionError("library %s holds %d items named %s (%s); give library_item_id instead"
                                 % (library_id, len(ids), request.name, ", ".join(sorted(ids))),
                                 library_item_ids=sorted(ids))
    return find_item(client, ids[0]) if ids else None


def check_type(item, item_type):
    """Fail unless the existing item is of the type the content makes."""
    if item_type is not None and item_type_of(item) != item_type:
        raise UpdateSessionError(
            "library item %s (%s) is of type %s, not %s; give another name, or remove the item first"
            % (item.get("name"), item["id"], item_type_of(item), item_type))


def idle_update_sessions(client, item_id):
    """The item's update sessions; fails naming them when one is ACTIVE, since vCenter allows one at a time."""
    sessions = list_update_sessions(client, item_id) or []
    busy = [session["id"] for session in sessions if session["state"] == ACTIVE]
    if busy:
        raise UpdateSessionError(
            "library item %s already has an ACTIVE update session (%s): another upload is running, or an interrupted "
            "one left it until vCenter expires it; cancel it with vsphere.content.content_library_update_session "
            "state=canceled, or wait" % (item_id, ", ".join(busy)), update_session_ids=busy)
    return sessions
