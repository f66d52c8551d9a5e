# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""An OVF package's manifest (``.mf``), and whether the package's files match it. Pure: no I/O.

Each line of a manifest is ``ALGORITHM(file name)= hex digest`` (DSP0243, the OVF specification), with
SHA1, SHA256 or SHA512. The manifest names the descriptor and every file it references; the manifest
itself and the certificate, which signs the manifest, are not named.
"""

import re

from ansible_collections.vsphere.content.plugins.module_utils.checksums import digest_length

_LINE = re.compile(r"^\s*(SHA1|SHA256|SHA512)\s*\((.+)\)\s*=\s*([0-9A-Fa-f]+)\s*$", re.IGNORECASE)
UNNAMED_SUFFIXES = (".mf", ".cert")


class ManifestError(ValueError):
    """A manifest that cannot be read; the message says which line."""


def parse_manifest(text, manifest_name):
    """{file name: (algorithm, lower-case hex)} of a manifest's text; ManifestError for a line that is not
    ``ALGORITHM(name)= hex`` with a digest of that algorithm's length, or a file named twice."""
    entries = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            raise ManifestError("line %d of %s is not 'SHA256(file name)= digest' (nor SHA1 or SHA512): %r"
                                % (number, manifest_name, line[:120]))
        algorithm, name, digest = match.group(1).upper(), match.group(2), match.group(3).lower()
        if len(digest) != digest_length(algorithm):
            raise ManifestError("line %d of %s gives %s a %s digest of %d hexadecimal digits, not %d"
                                % (number, manifest_name, name, algorithm, len(digest), digest_length(algorithm)))
        if name in entries:
            raise ManifestError("%s names %s twice (again on line %d)" % (manifest_name, name, number))
        entries[name] = (algorithm, digest)
    return entries


def manifest_algorithms(entries):
    return set(algorithm for algorithm, _digest in entries.values())


def manifest_problems(entries, manifest_name, digests):
    """What does not match: one sentence per file the manifest names that the package lacks, per package
    file it does not name (but for the manifest and the certificate), and per digest that differs.
    ``digests`` is {file name: {algorithm: hex}} of every file of the package."""
    problems = []
    for name, (algorithm, expected) in sorted(entries.items()):
        if name not in digests:
            problems.append("%s names %s, which the package does not hold" % (manifest_name, name))
        elif digests[name].get(algorithm) != expected:
            problems.append("%s has %s %s in %s, but the file's is %s"
                            % (name, algorithm, expected, manifest_name, digests[name].get(algorithm)))
    for name in sorted(digests):
        if name not in entries and not name.lower().endswith(UNNAMED_SUFFIXES):
            problems.append("%s does not name %s, which the package holds" % (manifest_name, name))
    return problems
