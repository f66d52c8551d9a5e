# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The operations on libraries and library items: list, get and find libraries; find, get, create, copy, update
and delete items."""

from .libraries import item_type
from .vapi import VapiError, created_once, invalid_argument, not_found

LIBRARY_FIND_PROPERTIES = ("name", "type")
ITEM_FIND_PROPERTIES = ("name", "library_id", "source_id", "type", "cached")
# ItemModel fields the spec marks "not used for the create operation".
NOT_USED_FOR_CREATE = (
    "id", "content_version", "creation_time", "last_modified_time", "last_sync_time", "metadata_version",
    "cached", "size", "version", "source_id", "security_compliance", "certificate_verification_info",
)

# ItemModel fields the spec marks "not used for the update operation".
NOT_USED_FOR_UPDATE = (
    "id", "library_id", "content_version", "creation_time", "last_modified_time", "last_sync_time",
    "metadata_version", "cached", "size", "source_id",
)


def _find_spec(body, properties):
    """The FindSpec's properties that are set; none is "400 ... if no properties are specified in the spec"."""
    spec = {key: value for key, value in (body or {}).items() if key in properties and value is not None}
    if not spec:
        raise invalid_argument("At least one of %s must be specified to find." % ", ".join(properties))
    return spec


def _same_text(left, right):
    # The spec: names (and item types) are compared case-insensitively.
    return right is None or (left or "").casefold() == right.casefold()


class LibraryOperations:
    """Mixed into the simulator next to ``Operations``; the same (status, body) contract."""

    def _op_list_libraries(self, **_):
        return 200, list(self.state.libraries)

    def _op_get_library(self, library_id, **_):
        library = self.state.libraries.get(library_id)
        if library is None:
            raise not_found("Library", library_id)
        return 200, {"id": library_id, "name": library["name"], "type": library["type"], "storage_backings": []}

    def _op_find_libraries(self, body, **_):
        spec = _find_spec(body, LIBRARY_FIND_PROPERTIES)
        return 200, [
            library_id for library_id, library in self.state.libraries.items()
            if _same_text(library["name"], spec.get("name")) and spec.get("type") in (None, library["type"])
        ]

    def _op_find_items(self, body, **_):
        spec = _find_spec(body, ITEM_FIND_PROPERTIES)
        return 200, [
            item_id for item_id, item in self.state.items.items()
            if _same_text(item["name"], spec.get("name")) and _same_text(item["type"], spec.get("type"))
            and spec.get("library_id") in (None, item["library_id"])
            and "source_id" not in spec  # items of local libraries have no source
            and spec.get("cached") in (None, True)
        ]

    def _op_get_item(self, library_item_id, **_):
        self._library_item(library_item_id)
        return 200, self.state.item_model(library_item_id)

    def _op_create_item(self, route, handler, body, **_):
        body = body or {}
        unused = sorted(set(body) & set(NOT_USED_FOR_CREATE))
        if unused:
            # vCenter ignores these, but a client that sends them misunderstands the API.
            self._violation("request", route, "fields not used for create: %s" % ", ".join(unused))
        return created_once(handler.headers, self.state.item_client_tokens, lambda: self._new_item(body))

    def _op_copy_item(self, route, handler, body, source_library_item_id, **_):
        """``?action=copy``: a new item from ``destination_create_spec`` (the body) with the source's content;
        200 and its id. The Client-Token header makes a resent copy answer the same item."""
        body = body or {}
        unused = sorted(set(body) & set(NOT_USED_FOR_CREATE))
        if unused:
            self._violation("request", route, "fields not used for create: %s" % ", ".join(unused))
        self._library_item(source_library_item_id)
        _status, item_id = created_once(handler.headers, self.state.item_client_tokens,
                                        lambda: self._copied_item(source_library_item_id, body))
        return 200, item_id

    def _copied_item(self, source_id, body):
        library_id = body.get("library_id")
        name = body.get("name") or self.state.items[source_id]["name"]
        self._check_new_item(library_id, name)
        return self.state.copy_library_item(source_id, library_id, name, body.get("description"))

    def _check_new_item(self, library_id, name):
        if not library_id or not name:
            raise invalid_argument("library_id and a non-empty name must be provided to create a library item.")
        if library_id not in self.state.libraries:
            raise not_found("Library", library_id)
        if any(item["library_id"] == library_id and _same_text(item["name"], name)
               for item in self.state.items.values()):
            raise VapiError(400, "ALREADY_EXISTS",
                            "A library item named '%s' already exists in library '%s'." % (name, library_id))

    def _new_item(self, body):
        library_id, name = body.get("library_id"), body.get("name")
        self._check_new_item(library_id, name)
        return self.state.add_library_item(library_id=library_id, name=name, type=item_type(body.get("type")),
                                           description=body.get("description") or "")

    def _op_update_item(self, route, library_item_id, body, **_):
        item = self._library_item(library_item_id)
        body = body or {}
        unused = sorted(set(body) & set(NOT_USED_FOR_UPDATE))
        if unused:
            self._violation("request", route, "fields not used for update: %s" % ", ".join(unused))
        name = body.get("name")
        if name is not None and any(other is not item and other["library_id"] == item["library_id"]
                                    and _same_text(other["name"], name) for other in self.state.items.values()):
            raise VapiError(400, "ALREADY_EXISTS",
                            "A library item named '%s' already exists in library '%s'." % (name, item["library_id"]))
        # "Leaving it unset during update indicates that the description remains unchanged."
        for key in ("name", "description"):
            if body.get(key) is not None:
                item[key] = body[key]
        return 204, None

    def _op_delete_item(self, library_item_id, **_):
        self._library_item(library_item_id)
        self.state.delete_library_item(library_item_id)
        return 204, None
