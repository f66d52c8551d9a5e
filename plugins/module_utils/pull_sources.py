# -*- coding: utf-8 -*-
# Copyright: vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# This module_utils file is private to vsphere.content; its API may change without notice.
"""What vCenter can pull a file from (``url``, PULL), checked as an option before anything is sent. No I/O here."""

from urllib.parse import urlsplit

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError

URL_SCHEMES = ("http", "https", "ds")


def check_source_url(url, thumbprint):
    """Refuse, before connecting, a URL vCenter cannot pull from, and a thumbprint that cannot apply to it."""
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
