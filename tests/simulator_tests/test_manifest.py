# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Completing an OVF package checks it against its manifest: a file whose digest differs, or one the manifest
names that the package lacks, ends the session in ERROR with a message, and the item keeps what it had."""

import tarfile

from ovf_package import make_ovf_package


def complete(simulator, raw_api, paths):
    item = simulator.state.add_library_item(type="ovf")
    session_id = raw_api.session(item)
    for path in paths:
        raw_api.push(session_id, path.name, path)
    assert raw_api.complete(session_id).status_code == 204
    return item, raw_api.update_session(session_id)


def test_a_package_that_matches_its_manifest_completes(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path, signer=None)
    item, session = complete(simulator, raw_api, package.paths)
    assert session["state"] == "DONE"
    assert sorted(raw_api.item_files(item)) == ["photon-disk1.vmdk", "photon.ovf"]


def test_a_disk_that_differs_from_the_manifest_fails_the_session(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path, signer=None)
    mf, ovf, disk = package.paths
    disk.write_bytes(b"x" + disk.read_bytes()[1:])
    item, session = complete(simulator, raw_api, package.paths)
    assert session["state"] == "ERROR"
    assert session["error_message"]["id"] == "com.vmware.content.updatesession.ManifestMismatch"
    assert session["error_message"]["default_message"].startswith(
        "The OVF package does not match its manifest: the SHA256 digest of photon-disk1.vmdk is ")
    assert raw_api.item_files(item) == {}, "a failed session changes nothing"


def test_an_ova_whose_manifest_names_a_missing_file_fails_the_session(simulator, raw_api, tmp_path):
    package = make_ovf_package(tmp_path / "package", signer=None)
    mf, ovf, disk = package.paths
    mf.write_text(mf.read_text() + "SHA1(ghost.iso)= %s\n" % ("0" * 40))
    ova = tmp_path / "photon.ova"
    with tarfile.open(ova, "w", format=tarfile.USTAR_FORMAT) as archive:
        for path in (ovf, mf, disk):
            archive.add(path, arcname=path.name)
    item, session = complete(simulator, raw_api, [ova])
    assert session["state"] == "ERROR"
    assert session["error_message"]["default_message"] == (
        "The OVF package does not match its manifest: photon.mf names ghost.iso, which the package does not hold.")
