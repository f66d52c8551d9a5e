# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading an OVF manifest and comparing a package with it: pure functions."""

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.ovf_manifest import (
    ManifestError,
    manifest_algorithms,
    manifest_problems,
    parse_manifest,
)

SHA1 = "a" * 40
SHA256 = "B" * 64


def test_lines_of_any_supported_algorithm_are_read_with_lenient_spacing_and_case():
    text = "SHA1(photon.ovf)= %s\r\n\nsha256 (disk 1.vmdk) =%s  \n" % (SHA1, SHA256)
    entries = parse_manifest(text, "photon.mf")
    assert entries == {"photon.ovf": ("SHA1", SHA1), "disk 1.vmdk": ("SHA256", SHA256.lower())}
    assert manifest_algorithms(entries) == {"SHA1", "SHA256"}


@pytest.mark.parametrize("text, message", [
    ("MD5(a)= 00", "line 1 of photon.mf is not 'SHA256(file name)= digest' (nor SHA1 or SHA512): 'MD5(a)= 00'"),
    ("SHA1(a)= abc", "line 1 of photon.mf gives a a SHA1 digest of 3 hexadecimal digits, not 40"),
    ("SHA1(a)= %s\nSHA1(a)= %s" % (SHA1, SHA1), "photon.mf names a twice (again on line 2)"),
])
def test_a_line_that_cannot_be_read_is_named(text, message):
    with pytest.raises(ManifestError) as raised:
        parse_manifest(text, "photon.mf")
    assert str(raised.value) == message


def test_differences_missing_and_unnamed_files_are_each_one_sentence_and_metadata_is_not_expected():
    entries = {"photon.ovf": ("SHA1", SHA1), "disk.vmdk": ("SHA1", SHA1), "gone.iso": ("SHA1", SHA1)}
    digests = {"photon.mf": {}, "photon.cert": {}, "photon.ovf": {"SHA1": SHA1}, "disk.vmdk": {"SHA1": "c" * 40},
               "extra.nvram": {"SHA1": SHA1}}
    assert manifest_problems(entries, "photon.mf", digests) == [
        "disk.vmdk has SHA1 %s in photon.mf, but the file's is %s" % (SHA1, "c" * 40),
        "photon.mf names gone.iso, which the package does not hold",
        "photon.mf does not name extra.nvram, which the package holds",
    ]


def test_a_matching_package_has_no_problem():
    entries = {"photon.ovf": ("SHA1", SHA1)}
    assert manifest_problems(entries, "photon.mf", {"photon.mf": {}, "photon.ovf": {"SHA1": SHA1}}) == []
