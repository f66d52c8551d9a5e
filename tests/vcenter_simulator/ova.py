# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Opening an OVA at completion: an OVF item keeps the package inside it, not the archive.

vCenter imports an ``.ova`` into an OVF item as its descriptor and the files that descriptor's
References name; the manifest and certificate are read, not kept, and the archive itself is not
kept either. ``expanded`` gives the session's files as completion should apply them, with each
``.ova`` replaced by READY records of those members (extracted to the content directory, hashed
with SHA1 as item files are); a malformed archive raises OvaError with a message for the session.
"""

import hashlib
import os
import secrets
import tarfile
from xml.etree import ElementTree

from . import files as files_model
from .transfer import CHUNK_SIZE


class OvaError(Exception):
    pass


def is_ova(record):
    return record["source_type"] != "NONE" and record["status"] == "READY" and record["name"].lower().endswith(".ova")


def expanded(session_files, item, content_dir):
    """``session_files`` with every READY ``.ova`` of an OVF item replaced by its descriptor and references."""
    archives = [record for record in session_files.values() if item.get("type") == "ovf" and is_ova(record)]
    if not archives:
        return session_files
    files = {name: record for name, record in session_files.items() if not is_ova(record)}
    for archive in archives:
        for record in _members(archive, content_dir):
            files[record["name"]] = record  # the package's content wins over an unchanged item file
    for archive in archives:
        files_model.discard_content(archive["path"])
    return files


def _members(archive, content_dir):
    name = archive["name"]
    extracted = []
    try:
        with tarfile.open(archive["path"], "r:") as tar:
            members = {member.name: member for member in tar.getmembers() if member.isfile()}
            descriptor = next((member for member in members.values() if member.name.lower().endswith(".ovf")), None)
            if descriptor is None:
                raise OvaError("The OVA %s holds no OVF descriptor (.ovf)." % name)
            extracted.append(_extract(tar, descriptor, content_dir))
            try:
                references = files_model.ovf_references(extracted[0]["path"])
            except ElementTree.ParseError as error:
                raise OvaError("The OVF descriptor %s in the OVA %s does not parse: %s."
                               % (descriptor.name, name, error)) from error
            for href in references:
                if href not in members:
                    raise OvaError("The OVA %s has no file %s, which its descriptor %s references."
                                   % (name, href, descriptor.name))
                extracted.append(_extract(tar, members[href], content_dir))
            # Read for the manifest check on completion, like vCenter; not kept in the item.
            manifest = descriptor.name[:-len(".ovf")] + ".mf"
            if manifest in members:
                extracted.append(_extract(tar, members[manifest], content_dir))
    except (tarfile.TarError, OSError) as error:
        _discard(extracted)
        raise OvaError("The file %s is not a valid OVA archive: %s." % (name, error)) from error
    except OvaError:
        _discard(extracted)
        raise
    return extracted


def _extract(tar, member, content_dir):
    """A READY session record of ``member``, its bytes streamed to a new file and hashed."""
    path = os.path.join(content_dir, secrets.token_hex(12))
    sha1, size = hashlib.sha1(), 0
    source = tar.extractfile(member)
    with source, open(path, "wb") as target:
        for chunk in iter(lambda: source.read(CHUNK_SIZE), b""):
            target.write(chunk)
            sha1.update(chunk)
            size += len(chunk)
    record = files_model.session_file(member.name, "PUSH")
    record.update(status="READY", size=size, bytes_transferred=size, sha1=sha1.hexdigest(), path=path,
                  checksum_info={"algorithm": "SHA1", "checksum": sha1.hexdigest()})
    return record


def _discard(records):
    for record in records:
        files_model.discard_content(record["path"])
