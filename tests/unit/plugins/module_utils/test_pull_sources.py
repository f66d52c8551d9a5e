# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What vCenter may pull from: the url and its certificate thumbprint, checked before anything is sent."""

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.pull_sources import check_source_url

SHA1 = "2F:D4:E1:C6:7A:2D:28:FC:ED:84:9E:E1:BB:76:E7:39:1B:93:EB:12"
SHA256 = ":".join(["AB"] * 16 + ["0F"] * 16)


@pytest.mark.parametrize("given, sent", [
    (SHA1, SHA1),
    (SHA1.lower(), SHA1),
    (SHA1.replace(":", ""), SHA1),
    (SHA1.replace(":", " "), SHA1),
    ("  " + SHA1.replace(":", "-").lower() + "\n", SHA1),
    (SHA256, SHA256),
    (SHA256.replace(":", "").lower(), SHA256),
    (None, None),
    ("   ", None),
])
def test_a_sha1_or_sha256_thumbprint_is_sent_as_colon_separated_upper_case_pairs(given, sent):
    assert check_source_url("https://files.example.com/a.iso", given) == sent


@pytest.mark.parametrize("thumbprint", [
    "AA:BB",                      # too short
    SHA1 + ":00",                 # 42 digits
    SHA256[:-3],                  # 62 digits
    SHA1.replace("2F", "2G"),     # not hexadecimal
    "sha256:" + SHA256,           # a prefix is not part of it
])
def test_anything_else_is_refused_naming_what_was_given(thumbprint):
    with pytest.raises(InvalidOptionError) as caught:
        check_source_url("https://files.example.com/a.iso", thumbprint)
    assert caught.value.msg == (
        "url_thumbprint must be the SHA-1 (40 hexadecimal digits) or SHA-256 (64) thumbprint of the server's "
        "certificate, with or without colons, not %r" % thumbprint)


def test_a_thumbprint_applies_only_to_https():
    with pytest.raises(InvalidOptionError, match="url_thumbprint applies only to an https url"):
        check_source_url("http://files.example.com/a.iso", SHA1)
    assert check_source_url("http://files.example.com/a.iso", "") is None
