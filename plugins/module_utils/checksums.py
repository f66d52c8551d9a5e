# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Checksums as the Content Library API writes them (``checksum_info``), and hashing local files.

Files are read once in fixed chunks whatever their size, feeding every
algorithm asked for, so memory stays flat and no file is read twice.
"""

import hashlib
import re

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import CHECKSUM_ALGORITHMS
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError

# The API's ChecksumAlgorithm -> hashlib's name; the API's default is SHA1.
ALGORITHMS = dict((algorithm, algorithm.lower()) for algorithm in CHECKSUM_ALGORITHMS)
DEFAULT_API_ALGORITHM = "SHA1"
READ_CHUNK = 1 << 20
_HEX = re.compile(r"^[0-9a-f]+$")


def digest_length(algorithm):
    return hashlib.new(ALGORITHMS[algorithm]).digest_size * 2


def normalize_checksum(checksum, algorithm, name="checksum"):
    """A checksum given by the user, as lower-case hex; anything else is refused before any request."""
    text = (checksum or "").strip().lower()
    if not _HEX.match(text) or len(text) != digest_length(algorithm):
        raise InvalidOptionError(
            "%s must be the %d hexadecimal digits of a %s digest, not %r" % (name, digest_length(algorithm), algorithm, checksum)
        )
    return text


def checksum_info(algorithm, checksum):
    return {"algorithm": algorithm, "checksum": checksum}


def algorithm_of(info):
    """The algorithm of a ``checksum_info`` from the server; unset means the API default."""
    return (info or {}).get("algorithm") or DEFAULT_API_ALGORITHM


def comparable_algorithm(info):
    """The algorithm of a server's ``checksum_info`` when it carries a checksum this collection can compute;
    else None (an algorithm a later release adds counts as not comparable)."""
    algorithm = algorithm_of(info)
    return algorithm if (info or {}).get("checksum") and algorithm in ALGORITHMS else None


def matches(info, digests):
    """Whether the server's ``checksum_info`` equals one of ``digests`` ({algorithm: hex}).

    A missing checksum never matches: content that cannot be compared counts as different.
    """
    if not info or not info.get("checksum"):
        return False
    local = digests.get(algorithm_of(info))
    return local is not None and local == info["checksum"].strip().lower()


def new_hashers(algorithms):
    """{algorithm: a hashlib object} for each of ``algorithms``."""
    return dict((algorithm, hashlib.new(ALGORITHMS[algorithm])) for algorithm in set(algorithms))


def hash_stream(read, algorithms, chunk_size=READ_CHUNK):
    """Feed ``read(chunk_size)`` to every algorithm until it returns nothing; ({algorithm: hex}, bytes read)."""
    hashers = new_hashers(algorithms)
    size = 0
    while True:
        chunk = read(chunk_size)
        if not chunk:
            break
        size += len(chunk)
        for hasher in hashers.values():
            hasher.update(chunk)
    return dict((algorithm, hasher.hexdigest()) for algorithm, hasher in hashers.items()), size
