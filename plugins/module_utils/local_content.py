# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The content a task uploads, read from the host that runs the module: an OVF package, an OVA, or one file.

Each file to upload is a ``LocalFile``: a byte range of a local file. An OVA's members are ranges of the
archive, so they are streamed straight out of it: no member is ever copied to a temporary file.
"""

import os
import tarfile
from xml.etree import ElementTree

from ansible_collections.vsphere.content.plugins.module_utils.checksums import hash_stream
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError, VSphereContentError

# Files of an OVF package that vCenter reads during the session but never stores in the item.
METADATA_SUFFIXES = (".mf", ".cert")
# The descriptor of a package is small; a larger one is not a descriptor.
MAX_DESCRIPTOR_SIZE = 16 << 20


class LocalFile:
    """``size`` bytes of the local file ``path`` from ``offset``, uploaded under ``name``."""

    def __init__(self, name, path, offset=0, size=None):
        self.name = name
        self.path = path
        self.offset = offset
        self.size = os.path.getsize(path) - offset if size is None else size

    @property
    def is_metadata(self):
        """A manifest or certificate: read by vCenter during the session, never stored in the item."""
        return self.name.lower().endswith(METADATA_SUFFIXES)

    def sent_note(self):
        """What to add when vCenter rejects the upload: nothing, as the bytes are not hashed while they are sent."""
        return None

    def open(self):
        try:
            return _RangeReader(self.path, self.offset, self.size)
        except OSError as exc:
            raise VSphereContentError("reading %s (%s) failed: %s" % (self.name, self.path, exc.strerror or exc))

    def read_all(self, limit=MAX_DESCRIPTOR_SIZE):
        if self.size > limit:
            raise InvalidOptionError("%s is %d bytes, too large for an OVF descriptor" % (self.name, self.size))
        with self.open() as reader:
            return reader.read(self.size)

    def digests(self, algorithms):
        """({algorithm: hex}, size) of this range, read once."""
        with self.open() as reader:
            try:
                return hash_stream(reader.read, algorithms)
            except OSError as exc:
                raise VSphereContentError("reading %s (%s) failed: %s" % (self.name, self.path, exc.strerror or exc))


class _RangeReader:
    """A binary reader over one byte range of a file; reading past the range gives b''."""

    def __init__(self, path, offset, size):
        self._handle = open(path, "rb")
        self._handle.seek(offset)
        self._left = size

    def read(self, size=-1):
        if size is None or size < 0 or size > self._left:
            size = self._left
        chunk = self._handle.read(size)
        self._left -= len(chunk)
        return chunk

    def close(self):
        self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def package_files(path):
    """The files to upload for ``src``, in the order vCenter needs them.

    An ``.ovf``: the manifest and certificate of the same base name when present, the descriptor, then every
    file its References name, found beside it. An ``.ova``: the same, taken from the archive's members.
    Anything else: the one file.
    """
    lower = path.lower()
    if lower.endswith(".ovf"):
        return _ovf_files(path)
    if lower.endswith(".ova"):
        return _ova_files(path)
    return [LocalFile(os.path.basename(path), path)]


def _ovf_files(path):
    directory, descriptor_name = os.path.split(path)
    descriptor = LocalFile(descriptor_name, path)
    base = os.path.splitext(descriptor_name)[0]
    metadata = [LocalFile(base + suffix, os.path.join(directory, base + suffix)) for suffix in METADATA_SUFFIXES
                if os.path.isfile(os.path.join(directory, base + suffix))]
    referenced = []
    for name in ovf_references(descriptor.read_all(), descriptor_name):
        location = os.path.join(directory, name)
        if not os.path.isfile(location):
            raise InvalidOptionError("%s references %s, which is not beside it (%s)" % (descriptor_name, name, location))
        referenced.append(LocalFile(name, location))
    return metadata + [descriptor] + referenced


def _ova_files(path):
    """The OVA's members as ranges of the archive; only the tar headers and the descriptor are read here."""
    archive_name = os.path.basename(path)
    try:
        with tarfile.open(path, "r:") as archive:
            members = dict((member.name, member) for member in archive.getmembers() if member.isfile())
    except (tarfile.TarError, OSError) as exc:
        raise InvalidOptionError("%s is not a readable OVA (a tar archive): %s" % (archive_name, exc))
    descriptors = [name for name in members if name.lower().endswith(".ovf") and "/" not in name]
    if len(descriptors) != 1:
        raise InvalidOptionError("%s must hold exactly one .ovf descriptor at its top level, not %d"
                                 % (archive_name, len(descriptors)))

    def member(name):
        return LocalFile(name, path, members[name].offset_data, members[name].size)

    descriptor = member(descriptors[0])
    base = os.path.splitext(descriptor.name)[0]
    metadata = [member(base + suffix) for suffix in METADATA_SUFFIXES if base + suffix in members]
    referenced = []
    for name in ovf_references(descriptor.read_all(), descriptor.name):
        if name not in members:
            raise InvalidOptionError("%s references %s, which %s does not hold" % (descriptor.name, name, archive_name))
        referenced.append(member(name))
    return metadata + [descriptor] + referenced


def ovf_references(document, descriptor_name):
    """The ``href`` of every References/File of an OVF descriptor, in order, each checked to be a plain file name."""
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError as exc:
        raise InvalidOptionError("%s is not a valid OVF descriptor: %s" % (descriptor_name, exc))
    names = []
    for references in (element for element in root.iter() if _local(element.tag) == "References"):
        for entry in (child for child in references if _local(child.tag) == "File"):
            href = next((value for key, value in entry.attrib.items() if _local(key) == "href"), None)
            if not href:
                raise InvalidOptionError("%s has a References/File without an href" % descriptor_name)
            if "/" in href or "\\" in href or href in (".", "..") or "://" in href:
                # Only files beside the descriptor: a path or URL could reach outside the package.
                raise InvalidOptionError("%s references %r, which is not a file name beside it" % (descriptor_name, href))
            if href not in names:
                names.append(href)
    return names


def _local(name):
    return name.rsplit("}", 1)[-1]


def hash_files(files, algorithms):
    """{name: {algorithm: hex}} of every file, each read once whatever the number of algorithms."""
    return dict((local.name, local.digests(algorithms)[0]) for local in files)
