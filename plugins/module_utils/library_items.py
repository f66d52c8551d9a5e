# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The API calls of libraries and library items: find, get, create, delete, and an item's stored files.

Only calls here; ``item_content`` sequences them.
"""

from ansible_collections.vsphere.content.plugins.module_utils.errors import ApiError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.urls import api_path

LIBRARIES = "/api/content/library"
LIBRARY_ITEMS = "/api/content/library/item"


def find_library_ids(client, name):
    """Ids of the visible libraries named ``name`` (vCenter compares names case-insensitively)."""
    return client.request("POST", LIBRARIES, "find libraries named %s" % name,
                          params={"action": "find"}, body={"name": name}) or []


def library_names(client, limit):
    """(names of up to ``limit`` visible libraries, sorted; how many there are in all), to name in a message."""
    library_ids = client.request("GET", LIBRARIES, "list libraries") or []
    names = [(client.request("GET", "%s/%s" % (LIBRARIES, library_id), "get library %s" % library_id) or {}).get("name")
             for library_id in library_ids[:limit]]
    return sorted((name or "?" for name in names), key=lambda name: (name.casefold(), name)), len(library_ids)


def find_item_ids(client, library_id, name):
    """Ids of the items named ``name`` in library ``library_id`` (case-insensitive, as vCenter compares)."""
    return client.request("POST", LIBRARY_ITEMS, "find library items named %s" % name,
                          params={"action": "find"}, body={"library_id": library_id, "name": name}) or []


def find_item(client, library_item_id):
    """The ItemModel with its ``id`` added (GET omits it), or None when vCenter does not know the item."""
    try:
        item = client.request("GET", api_path(LIBRARY_ITEMS, library_item_id), "get library item %s" % library_item_id)
    except ApiError as exc:
        if exc.is_not_found:
            return None
        raise
    item = dict(item or {})
    item["id"] = library_item_id
    return item


def create_item(client, library_id, name, item_type, description, token):
    """POST a new item; its client token makes a repeated POST answer the same item.

    A generic item is created without a type: vCenter then uses no type adapter.
    """
    body = {"library_id": library_id, "name": name}
    if item_type:
        body["type"] = item_type
    if description is not None:
        body["description"] = description
    return client.request("POST", LIBRARY_ITEMS, "create library item %s" % name,
                          body=body, client_token=token)


def copy_item(client, source_item_id, library_id, name, description, token):
    """vCenter's own copy of an item into ``library_id`` as ``name``; the id of the new item. Its client token makes
    a repeated POST answer the same item."""
    body = {"library_id": library_id, "name": name}
    if description is not None:
        body["description"] = description
    return client.request("POST", api_path(LIBRARY_ITEMS, source_item_id), "copy library item %s" % source_item_id,
                          params={"action": "copy"}, body=body, client_token=token)


def update_item_description(client, library_item_id, description):
    client.request("PATCH", api_path(LIBRARY_ITEMS, library_item_id),
                   "update library item %s" % library_item_id, body={"description": description})


def delete_item(client, library_item_id):
    """DELETE the item; an item that is gone already meets the goal."""
    try:
        client.request("DELETE", api_path(LIBRARY_ITEMS, library_item_id), "delete library item %s" % library_item_id)
    except ApiError as exc:
        if not exc.is_not_found:
            raise


def list_item_files(client, library_item_id):
    """The item's stored files: ``{name, size, cached, version, checksum_info?}`` each."""
    return client.request("GET", api_path(LIBRARY_ITEMS, library_item_id) + "/file",
                          "list the files of library item %s" % library_item_id) or []
