# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Libraries and library items: seeding them, deleting an item, and the ItemModel that GET answers."""

import uuid

from . import files as files_model
from .vapi import check_warning_types, timestamp, utcnow

# Item types with a type adapter in the simulator; any other type makes a generic item (type unset).
ITEM_TYPES = ("ovf", "iso")


# What a copy takes from its source besides the content: how the simulator plays the item's sessions.
COPIED_SETTINGS = ("preview_state", "preview_warnings", "preview_delay", "completion_delay", "signed", "settling",
                   "prepare_delay", "prepare_errors")


def item_type(requested):
    """"ovf" or "iso" (case-insensitive), else None: "if the type ... does not have a corresponding type
    support plugin, then the type of the library item is considered to be generic"."""
    lowered = (requested or "").lower()
    return lowered if lowered in ITEM_TYPES else None


class LibraryState:
    """Mixed into SimulatorState: ``libraries`` and ``items``, changed under its lock."""

    def add_library(self, library_id=None, name=None, type="LOCAL"):  # noqa: A002 - the API names it type
        """A content library; its name defaults to its id (names need not be unique)."""
        library_id = library_id or str(uuid.uuid4())
        with self.lock:
            self.libraries[library_id] = {"name": name or library_id, "type": type}
        return library_id

    def add_library_item(self, item_id=None, library_id="library-1", content_version="1",
                         preview_state="AVAILABLE", preview_warnings=(), preview_delay=0.0,
                         completion_delay=0.0, signed=False, type=None, name=None, files=None,  # noqa: A002
                         description="", settling=None, prepare_delay=0.0, prepare_errors=None):
        """A library item; update sessions created on it get this preview and these delays.

        ``type`` is "ovf", "iso" or None (generic). ``files`` lists the item's files, each
        ``{name, content}`` (bytes or text; kept on disk, so it can be downloaded) or ``{name, size, checksum}``
        (SHA1; no content, so its download prepare fails), optionally ``version``.
        ``settling`` = (status, seconds): a session file that became READY less than ``seconds`` ago reports
        ``status`` instead, as a later release might while it scans what arrived.
        Download sessions: a prepare takes ``prepare_delay`` seconds (PREPARE_REQUESTED for the first half,
        then PREPARING); ``prepare_errors`` ({file name: text}) ends those files' prepares in ERROR instead.
        A ``library_id`` that names no library creates that library, so that items can be seeded alone.
        """
        item_id = item_id or str(uuid.uuid4())
        check_warning_types(preview_warnings, self.warning_messages)
        seeded = [files_model.seeded_item_file(self.content_dir(), spec) for spec in files or ()]
        now = utcnow()
        with self.lock:
            if library_id not in self.libraries:
                self.add_library(library_id)
            self.items[item_id] = {
                "library_id": library_id,
                "content_version": str(content_version),
                "preview_state": preview_state,
                "preview_warnings": list(preview_warnings),
                "preview_delay": float(preview_delay),
                "completion_delay": float(completion_delay),
                "signed": bool(signed),
                "type": type,
                "name": name or item_id,
                "description": description,
                "settling": settling,
                "prepare_delay": float(prepare_delay),
                "prepare_errors": dict(prepare_errors or {}),
                "creation_time": now,
                "last_modified_time": now,
                "files": {record["name"]: record for record in seeded},
            }
        return item_id

    def copy_library_item(self, source_id, library_id, name, description=None):
        """A new item in ``library_id`` holding a copy of the source item's content, its type and its settings
        (vCenter copies the content in the background; here it is done when the call returns); the new id."""
        with self.lock:
            source = self.items[source_id]
            item_id = self.add_library_item(
                library_id=library_id, name=name, type=source["type"],
                description=source["description"] if description is None else description,
                **{key: source[key] for key in COPIED_SETTINGS})
            self.items[item_id]["files"] = {
                file_name: files_model.copied_item_file(self.content_dir(), record)
                for file_name, record in source["files"].items()}
        return item_id

    def delete_library_item(self, item_id):
        """The item goes, and with it its update and download sessions (inferred: vCenter forgets the sessions of a
        deleted item)."""
        with self.lock:
            item = self.items.pop(item_id)
            for session_id, session in list(self.download_sessions.items()):
                if session["library_item_id"] == item_id:
                    self.delete_download_session(session_id)
            for session_id, session in list(self.update_sessions.items()):
                if session["library_item_id"] != item_id:
                    continue
                del self.update_sessions[session_id]
                for record in session["files"].values():
                    self.upload_tokens.pop(record["token"], None)
                    files_model.discard_content(record["path"])
                # A transfer still running sees its record gone and throws its content away.
                session["files"].clear()
            for record in item["files"].values():
                files_model.discard_content(record["path"])

    def item_model(self, item_id):
        """ContentLibraryItemModel as GET answers it: no id ("will not be present in the result of the get"),
        every field the spec says "will always be present", and the optional size and type when set."""
        item = self.items[item_id]
        model = {
            "library_id": item["library_id"],
            "content_version": item["content_version"],
            "creation_time": timestamp(item["creation_time"]),
            "description": item["description"],
            "last_modified_time": timestamp(item["last_modified_time"]),
            "metadata_version": "1",
            "name": item["name"],
            "cached": True,
            "size": sum(record["size"] for record in item["files"].values()),
            "version": "1",
            "security_compliance": True,
        }
        if item["type"]:
            model["type"] = item["type"]
        return model
