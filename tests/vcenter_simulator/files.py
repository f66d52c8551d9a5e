# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The files of library items and update sessions: records, the views the API answers, validation, completion.

A library item's file is ``{name, size, cached, version, checksum_info}`` (the API's view) plus ``path``,
where the simulator keeps its content (None for files seeded by size and checksum). A session's file is a
record of what the session does to that name: NONE (an item file left unchanged), PUSH (the client uploads it)
or PULL (the simulator fetches it); ``transfer.py`` moves it through WAITING_FOR_TRANSFER, TRANSFERRING, READY
or ERROR.
"""

import copy
import datetime
import hashlib
import os
import secrets
import shutil
from xml.etree import ElementTree

from .preview import load_certificates
from .vapi import message, utcnow

# Files of an OVF item that are only read during the session, never kept ("keep_in_storage ... false for
# metadata files such as manifest and certificate file of update session with library item type OVF").
METADATA_SUFFIXES = (".mf", ".cert")
NOT_RECEIVED = ("WAITING_FOR_TRANSFER", "TRANSFERRING")


def item_file(name, content=None, size=None, checksum=None, version="1", path=None):
    """A seeded item file: from its ``content`` (bytes or text), or from its ``size`` and SHA1 ``checksum``."""
    if content is not None:
        content = _as_bytes(content)
        size, checksum = len(content), hashlib.sha1(content).hexdigest()
    if size is None:
        raise TypeError("item file %r needs content, or a size (and a checksum)" % name)
    record = {"name": name, "size": int(size), "cached": True, "version": str(version), "path": path}
    if checksum:
        record["checksum_info"] = {"algorithm": "SHA1", "checksum": checksum}
    return record


def seeded_item_file(directory, spec):
    """An item file as ``add_library_item`` seeds it from ``spec``; its ``content``, if given, is written into
    ``directory`` so that it can be downloaded."""
    record = item_file(**spec)
    if spec.get("content") is not None and record["path"] is None:
        record["path"] = os.path.join(directory, secrets.token_hex(12))
        with open(record["path"], "wb") as handle:
            handle.write(_as_bytes(spec["content"]))
    return record


def _as_bytes(content):
    return content.encode() if isinstance(content, str) else bytes(content)


def copied_item_file(directory, record):
    """A copy of an item file for another item: the same name, size and checksum, its content (when stored) linked
    or copied into ``directory``, so that deleting either item leaves the other's content."""
    copied = copy.deepcopy(record)
    copied["version"] = "1"
    if record["path"] is not None:
        copied["path"] = os.path.join(directory, secrets.token_hex(12))
        try:
            os.link(record["path"], copied["path"])
        except OSError:  # another filesystem
            shutil.copyfile(record["path"], copied["path"])
    return copied


def item_file_info(record):
    """ContentLibraryItemFileInfo."""
    return {key: copy.deepcopy(value) for key, value in record.items() if key != "path"}


def session_file(name, source_type, size=None, checksum_info=None, source_endpoint=None):
    """A file being added to a session: nothing received yet."""
    return {
        "name": name,
        "source_type": source_type,
        "status": "WAITING_FOR_TRANSFER",
        "bytes_transferred": 0,
        "expected_size": size,
        "expected_checksum": copy.deepcopy(checksum_info),
        "size": None,
        "checksum_info": None,
        "sha1": None,
        "path": None,
        "token": None,
        "upload_uri": None,
        "source_endpoint": copy.deepcopy(source_endpoint),
        "error_message": None,
        "ready_at": None,  # when it last became READY: a content preview's delay counts from it
    }


def unchanged_file(record):
    """The session's view of an item file it does not change: "This may be NONE if the file is not being changed"."""
    entry = session_file(record["name"], "NONE")
    checksum = record.get("checksum_info")
    entry.update(status="READY", size=record["size"], checksum_info=copy.deepcopy(checksum), path=record["path"],
                 sha1=checksum["checksum"] if checksum else None)
    return entry


def discard_content(path):
    """Delete received content that nothing keeps any more (a missing file is fine)."""
    if path:
        try:
            os.unlink(path)
        except OSError:
            pass


def is_metadata(item, name):
    return item.get("type") == "ovf" and name.lower().endswith(METADATA_SUFFIXES)


def file_info(item, record):
    """ContentLibraryItemUpdatesessionFileInfo: size and checksum only once READY, endpoints by source type."""
    info = {key: record[key] for key in ("name", "source_type", "bytes_transferred", "status")}
    settling = item.get("settling")
    if (record["status"] == "READY" and settling and record["ready_at"] is not None
            and utcnow() < record["ready_at"] + datetime.timedelta(seconds=settling[1])):
        info["status"] = settling[0]
    elif record["status"] == "READY":
        info["size"] = record["size"]
        if record["checksum_info"]:
            info["checksum_info"] = copy.deepcopy(record["checksum_info"])
    if record["source_type"] == "PUSH":
        info["upload_endpoint"] = {"uri": record["upload_uri"]}
    elif record["source_type"] == "PULL":
        info["source_endpoint"] = copy.deepcopy(record["source_endpoint"])
    if record["status"] == "ERROR" and record["error_message"]:
        info["error_message"] = copy.deepcopy(record["error_message"])
    if is_metadata(item, record["name"]):
        info["keep_in_storage"] = False
    return info


def ovf_references(path):
    """The ``href`` of every References/File of an OVF descriptor, in order."""
    hrefs = []
    for element in ElementTree.parse(path).getroot().iter():
        if _local(element.tag) != "References":
            continue
        for child in element:
            if _local(child.tag) == "File":
                hrefs += [value for key, value in child.attrib.items() if _local(key) == "href"]
    return hrefs


def _local(name):
    return name.rsplit("}", 1)[-1]


def validate(files):
    """ValidationResult: names an uploaded .ovf references that the session lacks; files not received correctly."""
    missing, invalid = [], []
    for record in files.values():
        if record["status"] in NOT_RECEIVED:
            invalid.append(_invalid(record["name"], "com.vmware.content.updatesession.file.NotReceived",
                                    "The file %s has not yet been received (%d bytes so far)."
                                    % (record["name"], record["bytes_transferred"]), record["name"]))
        elif record["status"] == "ERROR":
            invalid.append({"name": record["name"], "error_message": copy.deepcopy(record["error_message"])})
        elif record["source_type"] != "NONE" and record["name"].lower().endswith(".cert"):
            try:
                with open(record["path"], "rb") as handle:
                    load_certificates(handle.read())
            except ValueError as error:
                invalid.append(_invalid(record["name"], "com.vmware.content.updatesession.file.InvalidCertificate",
                                        "The file %s is not a valid certificate file: %s." % (record["name"], error),
                                        record["name"]))
        elif record["source_type"] != "NONE" and record["name"].lower().endswith(".ovf"):
            try:
                references = ovf_references(record["path"])
            except ElementTree.ParseError as error:
                invalid.append(_invalid(record["name"], "com.vmware.content.updatesession.file.InvalidOvf",
                                        "The file %s is not a valid OVF descriptor: %s." % (record["name"], error),
                                        record["name"]))
                continue
            missing += [name for name in references if name not in files and name not in missing]
    return {"has_errors": bool(missing or invalid), "missing_files": missing, "invalid_files": invalid}


def _invalid(name, message_id, text, *args):
    return {"name": name, "error_message": message(message_id, text, *args)}


def apply_files(item, files):
    """Completion: the item's files become the session's; new content gets a bumped version, removed names go."""
    kept = {}
    for name, record in files.items():
        old = item["files"].get(name)
        if record["source_type"] == "NONE":
            if old is not None:
                kept[name] = old
        elif record["status"] == "READY" and not is_metadata(item, name):
            version = str(int(old["version"]) + 1) if old else "1"
            kept[name] = item_file(name, size=record["size"], checksum=record["sha1"], version=version,
                                   path=record["path"])
    item["files"] = kept
