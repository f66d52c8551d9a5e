# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""What vCenter can pull a file from (``url``, PULL), checked as an option before anything is sent. No I/O here."""

import re
from urllib.parse import urlsplit

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError

URL_SCHEMES = ("http", "https", "ds")
# A certificate thumbprint's hex digits: SHA-1 up to vSphere 9.0, SHA-256 from 9.1 (docs/wire-format.md).
THUMBPRINT_DIGITS = (40, 64)
_THUMBPRINT_SEPARATORS = re.compile(r"[:\s-]")
_HEX_DIGITS = re.compile(r"^[0-9A-F]+$")


def check_source_url(url, thumbprint):
    """Refuse, before connecting, a URL vCenter cannot pull from, and a thumbprint that cannot apply to it.

    Returns the thumbprint as vCenter shows one (colon-separated upper-case pairs), or None when none is given.
    """
    thumbprint = (thumbprint or "").strip() or None
    try:
        parts = urlsplit(url)
        parts.port  # pylint: disable=pointless-statement  # raises ValueError on a bad port
    except ValueError as exc:
        raise InvalidOptionError("url %r is not a valid URL: %s" % (url, exc))
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES or not (parts.netloc or parts.path.strip("/")):
        raise InvalidOptionError("url must be an http, https or ds URL, not %r" % url)
    if thumbprint is not None and scheme != "https":
        raise InvalidOptionError("url_thumbprint applies only to an https url")
    return None if thumbprint is None else normalize_thumbprint(thumbprint)


def normalize_thumbprint(thumbprint):
    """A SHA-1 or SHA-256 certificate thumbprint in any case, with or without colons, spaces or dashes, as
    colon-separated upper-case pairs."""
    digits = _THUMBPRINT_SEPARATORS.sub("", thumbprint).upper()
    if len(digits) not in THUMBPRINT_DIGITS or not _HEX_DIGITS.match(digits):
        raise InvalidOptionError(
            "url_thumbprint must be the SHA-1 (40 hexadecimal digits) or SHA-256 (64) thumbprint of the server's "
            "certificate, with or without colons, not %r" % thumbprint)
    return ":".join(digits[index:index + 2] for index in range(0, len(digits), 2))
