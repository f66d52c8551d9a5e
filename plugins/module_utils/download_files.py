# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""The local side of a download: what ``dest`` holds, its free space, and the temporary file a download is
written to, hashed as it is written, and put in place only once verified.

A reader of ``dest`` never sees a partial file: the bytes go to a hidden temporary file in ``dest`` (the same
filesystem), which is flushed to disk and then renamed over the final name in one step.
"""

import errno
import hashlib
import os
import stat
import tempfile

from ansible_collections.vsphere.content.plugins.module_utils.checksums import ALGORITHMS, hash_stream
from ansible_collections.vsphere.content.plugins.module_utils.errors import VSphereContentError

PART_SUFFIX = ".part"
# What one write to the temporary file gets. Measured here (docs/performance.md): a GiB written 1 MiB at a time took
# 0.5 to 2.7 s where 256 KiB at a time took 0.2 s, as the page cache finds room for larger writes less easily.
WRITE_SIZE = 256 << 10


def check_dest(dest):
    """Whether ``dest`` exists; fails when it is something other than a directory."""
    try:
        mode = os.stat(dest).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise VSphereContentError("dest %s cannot be read: %s" % (dest, exc.strerror))
    if not stat.S_ISDIR(mode):
        raise VSphereContentError("dest %s exists and is not a directory" % dest)
    return True


def make_dest(dest):
    try:
        os.makedirs(dest, exist_ok=True)
    except OSError as exc:
        raise VSphereContentError("dest %s cannot be created: %s" % (dest, exc.strerror))


def local_size(path):
    """The size of the regular file at ``path``; None when there is none. Anything else there fails."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise VSphereContentError("%s cannot be read: %s" % (path, exc.strerror))
    if not stat.S_ISREG(info.st_mode):
        raise VSphereContentError("%s exists and is not a regular file; the download would replace it" % path)
    return info.st_size


def hash_file(path, algorithm):
    """The hex digest of the file at ``path``, read once in fixed chunks."""
    try:
        with open(path, "rb") as handle:
            digests, _size = hash_stream(handle.read, [algorithm])
    except OSError as exc:
        raise VSphereContentError("%s cannot be read: %s" % (path, exc.strerror))
    return digests[algorithm]


def free_bytes(directory):
    """Bytes an unprivileged user may still write in ``directory``'s filesystem."""
    info = os.statvfs(directory)
    return info.f_bavail * info.f_frsize


class PartFile:
    """A temporary file in ``dest`` for the download of ``name``; a context manager that removes it unless it was
    committed. ``write`` hashes as it writes (``algorithm``); ``restart`` empties it for a download that starts over.
    The hash state lives as long as the file, so a resumed download never reads back what it wrote."""

    def __init__(self, dest, name, algorithm):
        self.dest = dest
        self.final = os.path.join(dest, name)
        self.algorithm = algorithm
        try:
            descriptor, self.path = tempfile.mkstemp(dir=dest, prefix=".%s." % name, suffix=PART_SUFFIX)
        except OSError as exc:
            raise VSphereContentError("a temporary file cannot be made in dest %s: %s" % (dest, exc.strerror))
        self._file = os.fdopen(descriptor, "wb")
        self._hash = hashlib.new(ALGORITHMS[algorithm])
        self.size = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.discard()

    def write(self, chunk):
        view = memoryview(chunk)
        try:
            for start in range(0, len(view), WRITE_SIZE):
                self._file.write(view[start:start + WRITE_SIZE])
        except OSError as exc:
            full = " (the filesystem is full)" if exc.errno == errno.ENOSPC else ""
            raise VSphereContentError("writing %s failed%s: %s" % (self.path, full, exc.strerror))
        self._hash.update(chunk)
        self.size += len(chunk)

    def restart(self):
        self._file.seek(0)
        self._file.truncate()
        self._hash = hashlib.new(ALGORITHMS[self.algorithm])
        self.size = 0

    @property
    def digest(self):
        return self._hash.hexdigest()

    def commit(self, replace):
        """Flush to disk, then ``replace(temporary, final)`` (an atomic rename), then make the rename durable."""
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            replace(self.path, self.final)
            self.path = None
            _sync_directory(self.dest)
        except OSError as exc:
            raise VSphereContentError("putting %s in place failed: %s" % (self.final, exc.strerror))

    def discard(self):
        self._file.close()
        if self.path is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            self.path = None


def _sync_directory(directory):
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
