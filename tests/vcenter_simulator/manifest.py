# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Completing an OVF package checks it against its manifest, as vCenter does: every file the ``.mf`` names must
be there with that digest (``SHA1(name)= hex``, SHA256 or SHA512; DSP0243). The simulator's own reading, apart
from the collection's, so that each checks the other."""

import hashlib
import re

_LINE = re.compile(r"^\s*(SHA1|SHA256|SHA512)\s*\((.+)\)\s*=\s*([0-9a-fA-F]+)\s*$", re.IGNORECASE)
CHUNK_SIZE = 1 << 20


def problems(files, item_files):
    """Sentences naming what breaks the manifest of an OVF package in ``files`` (the session's records, each
    READY one with its content at ``path``); [] without a manifest. A file the session leaves unchanged is the
    item's (``item_files``), compared by its stored SHA1 when its content is not kept."""
    manifest = next((record for name, record in files.items() if name.lower().endswith(".mf")
                     and record.get("path")), None)
    if manifest is None:
        return []
    with open(manifest["path"], "rb") as handle:
        lines = handle.read().decode("utf-8", "replace").splitlines()
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            found.append("line %d of %s cannot be read" % (number, manifest["name"]))
            continue
        algorithm, name, expected = match.group(1).upper(), match.group(2), match.group(3).lower()
        actual = _digest(files.get(name), item_files.get(name), algorithm)
        if actual is None:
            found.append("%s names %s, which the package does not hold" % (manifest["name"], name))
        elif actual is not Ellipsis and actual != expected:
            found.append("the %s digest of %s is %s, not %s as %s says"
                         % (algorithm, name, actual, expected, manifest["name"]))
    return found


def _digest(record, item_file, algorithm):
    """The file's digest; None when there is no such file; Ellipsis when it cannot be computed (content seeded by
    its checksum only)."""
    if record is not None and record.get("source_type") != "NONE":
        return file_digest(record["path"], algorithm) if record.get("path") else None
    if item_file is None:
        return None
    if item_file.get("path"):
        return file_digest(item_file["path"], algorithm)
    stored = item_file.get("checksum_info") or {}
    return stored["checksum"].lower() if stored.get("checksum") and algorithm == "SHA1" else Ellipsis


def file_digest(path, algorithm):
    digest = hashlib.new(algorithm.lower())
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()
