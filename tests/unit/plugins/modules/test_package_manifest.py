# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item checks an OVF package against its own manifest (.mf) before it opens a session, in check
mode too: a file that differs from its digest, a file the manifest names that the package lacks, and a package
file the manifest does not name each fail the task at once, naming the file."""

import hashlib
import tarfile
from pathlib import Path

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_item import main
from helpers import assert_logged_out, connection_args, run_module
from ovf_package import make_ovf_package

SELF_SIGNED = [{"type": "SELF_SIGNED_CERTIFICATE"}]


def run(sim, check_mode=False, **options):
    return run_module(main, connection_args(sim, **options), check_mode=check_mode)


def upload(sim, src, check_mode=False):
    sim.state.add_library("library-1", name="library-1")
    return run(sim, check_mode=check_mode, library_id="library-1", name="photon", src=str(src),
               warning_behavior=SELF_SIGNED)


def assert_nothing_sent(sim):
    """Nothing was created and no session opened: only the login, the lookups (GETs, and POST ?action=find) and
    the logout went out."""
    assert sim.state.items == {} and sim.state.update_sessions == {}
    assert not [entry["route"] for entry in sim.requests if entry["method"] != "GET"
                and entry["route"] not in ("login", "logout") and entry["query"].get("action") != "find"]
    assert_logged_out(sim)


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check mode"])
def test_a_disk_changed_after_the_manifest_was_written_fails_naming_both_digests(trusted_simulator, tmp_path,
                                                                                 check_mode):
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 64 << 10})
    disk = tmp_path / "photon-disk1.vmdk"
    listed = hashlib.sha256(disk.read_bytes()).hexdigest()
    data = bytearray(disk.read_bytes())
    data[100] ^= 1
    disk.write_bytes(bytes(data))
    trusted_simulator.state.trusted_roots.append(package.cert_pem)

    result = upload(trusted_simulator, package.ovf, check_mode)

    assert result["failed"] is True
    assert result["msg"] == "the package does not match its manifest: photon-disk1.vmdk has SHA256 %s in photon.mf, " \
                            "but the file's is %s" % (listed, hashlib.sha256(bytes(data)).hexdigest())
    assert_nothing_sent(trusted_simulator)


def test_files_missing_from_the_package_or_from_the_manifest_are_named(trusted_simulator, tmp_path):
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 1024}, signer=None)
    manifest = tmp_path / "photon.mf"
    lines = [line for line in manifest.read_text().splitlines() if "photon-disk1.vmdk" not in line]
    manifest.write_text("\n".join(lines + ["SHA256(ghost.vmdk)= %s" % ("0" * 64)]) + "\n")

    result = upload(trusted_simulator, package.ovf)

    assert result["msg"] == ("the package does not match its manifest: photon.mf names ghost.vmdk, which the package "
                             "does not hold; photon.mf does not name photon-disk1.vmdk, which the package holds")
    assert_nothing_sent(trusted_simulator)


def test_an_unreadable_manifest_line_fails_naming_it(trusted_simulator, tmp_path):
    package = make_ovf_package(tmp_path, signer=None)
    (tmp_path / "photon.mf").write_text("MD5(photon.ovf)= 00\n")

    result = upload(trusted_simulator, package.ovf)

    assert result["msg"] == "line 1 of photon.mf is not 'SHA256(file name)= digest' (nor SHA1 or SHA512): " \
                            "'MD5(photon.ovf)= 00'"
    assert_nothing_sent(trusted_simulator)


@pytest.mark.parametrize("digest", ["SHA1", "SHA256", "SHA512"])
def test_a_package_that_matches_its_manifest_is_uploaded_whatever_its_algorithm(trusted_simulator, tmp_path, digest):
    package = make_ovf_package(tmp_path, digest=digest)
    trusted_simulator.state.trusted_roots.append(package.cert_pem)

    result = upload(trusted_simulator, package.ovf)

    assert result["changed"] is True, result


def test_an_ova_member_that_differs_from_the_manifest_fails_too(trusted_simulator, tmp_path):
    package = make_ovf_package(tmp_path / "package", signer=None)
    disk = tmp_path / "package" / "photon-disk1.vmdk"
    disk.write_bytes(b"x" + disk.read_bytes()[1:])
    ova = tmp_path / "photon.ova"
    with tarfile.open(ova, "w", format=tarfile.USTAR_FORMAT) as archive:
        for path in (package.ovf, package.mf, disk):
            archive.add(path, arcname=Path(path).name)

    result = upload(trusted_simulator, ova)

    assert result["msg"].startswith("the package does not match its manifest: photon-disk1.vmdk has SHA256 ")
    assert_nothing_sent(trusted_simulator)
