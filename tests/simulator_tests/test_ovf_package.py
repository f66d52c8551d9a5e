# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/ovf_package.py: the OVF packages the upload tests send are well formed, complete and correctly signed."""

import hashlib
import re
import tarfile
from xml.etree import ElementTree

import pytest
import trustme
from cryptography import x509

from ovf_package import deterministic_chunks, generate_key, make_ova, make_ovf_package, make_signer
from vcenter_simulator.preview import compute_preview, parse_signature_line, verify_manifest_signature

OVF = "{http://schemas.dmtf.org/ovf/envelope/1}"
MF_LINE = re.compile(r"^(SHA1|SHA256|SHA512)\((.+)\)= ([0-9a-f]+)$")


def references(package):
    root = ElementTree.parse(package.ovf).getroot()
    assert root.tag == OVF + "Envelope"
    return [
        {"href": entry.get(OVF + "href"), "id": entry.get(OVF + "id"), "size": int(entry.get(OVF + "size"))}
        for entry in root.find(OVF + "References")
    ]


def manifest_lines(package):
    lines = package.mf.read_text().splitlines()
    parsed = [MF_LINE.match(line) for line in lines]
    assert all(parsed), lines
    return [match.groups() for match in parsed]


def test_the_default_package_is_signed_and_lists_its_paths_in_upload_order(tmp_path):
    package = make_ovf_package(tmp_path)
    names = [path.name for path in package.paths]
    assert names == ["photon.mf", "photon.cert", "photon.ovf", "photon-disk1.vmdk"]
    assert all(path.parent == tmp_path and path.is_file() for path in package.paths)
    assert package.cert_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert package.files["photon-disk1.vmdk"].size == 64 << 10


def test_references_name_every_disk_and_extra_file_with_its_size(tmp_path):
    package = make_ovf_package(tmp_path, name="vm", disks={"vm-disk1.vmdk": 3000, "vm-disk2.vmdk": b"abc"},
                               extra_files={"vm.nvram": b"nvram", "notes.txt": 10})
    assert references(package) == [
        {"href": "vm-disk1.vmdk", "id": "file1", "size": 3000},
        {"href": "vm-disk2.vmdk", "id": "file2", "size": 3},
        {"href": "vm.nvram", "id": "file3", "size": 5},
        {"href": "notes.txt", "id": "file4", "size": 10},
    ]
    root = ElementTree.parse(package.ovf).getroot()
    disks = root.find(OVF + "DiskSection").findall(OVF + "Disk")
    assert [disk.get(OVF + "fileRef") for disk in disks] == ["file1", "file2"]
    assert b'vmw:key="nvram" vmw:value="ovf:/file/file3"' in package.ovf.read_bytes()
    assert [path.name for path in package.paths][3:] == ["vm-disk1.vmdk", "vm-disk2.vmdk", "vm.nvram", "notes.txt"]
    assert (tmp_path / "vm-disk2.vmdk").read_bytes() == b"abc"
    for entry in references(package):
        assert (tmp_path / entry["href"]).stat().st_size == entry["size"]


@pytest.mark.parametrize("digest", ["SHA256", "SHA1", "SHA512"])
def test_the_manifest_digests_match_the_files(tmp_path, digest):
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 5 << 20}, extra_files={"photon.nvram": 100},
                               digest=digest)
    lines = manifest_lines(package)
    assert [line[1] for line in lines] == ["photon.ovf", "photon-disk1.vmdk", "photon.nvram"]
    for algorithm, name, hex_digest in lines:
        assert algorithm == digest
        assert hashlib.new(digest.lower(), (tmp_path / name).read_bytes()).hexdigest() == hex_digest
    for name, entry in package.files.items():
        content = (tmp_path / name).read_bytes()
        assert (entry.size, entry.sha256, entry.sha1) == (
            len(content), hashlib.sha256(content).hexdigest(), hashlib.sha1(content).hexdigest())


@pytest.mark.parametrize("digest", ["SHA256", "SHA1"])
def test_the_cert_signs_the_manifest_and_carries_the_signer_certificate(tmp_path, digest):
    package = make_ovf_package(tmp_path, digest=digest)
    cert = package.cert.read_bytes()
    algorithm, mf_name, signature = parse_signature_line(cert)
    assert (algorithm, mf_name, len(signature)) == (digest, "photon.mf", 256)
    assert cert.decode().split("\n", 1)[1] == package.cert_pem
    assert verify_manifest_signature(cert, package.mf.read_bytes(), "photon.mf")
    assert not verify_manifest_signature(cert, package.mf.read_bytes() + b"\n")
    assert not verify_manifest_signature(cert, package.mf.read_bytes(), "other.mf")


def test_a_signature_by_another_key_does_not_verify(tmp_path):
    one = make_ovf_package(tmp_path / "one")
    other = make_ovf_package(tmp_path / "other", signer=make_signer(key=generate_key()))
    forged = one.cert.read_bytes().split(b"\n", 1)[0] + b"\n" + other.cert_pem.encode()
    assert not verify_manifest_signature(forged, one.mf.read_bytes())


def test_an_unsigned_package_has_no_cert(tmp_path):
    package = make_ovf_package(tmp_path, signer=None)
    assert [path.name for path in package.paths] == ["photon.mf", "photon.ovf", "photon-disk1.vmdk"]
    assert package.cert is None and package.cert_pem is None
    assert not (tmp_path / "photon.cert").exists()


@pytest.mark.parametrize(("signer", "expected"), [
    ("self-signed", ["SELF_SIGNED_CERTIFICATE", "UNTRUSTED_CERTIFICATE"]),
    ("expired", ["SELF_SIGNED_CERTIFICATE", "EXPIRED_CERTIFICATE", "UNTRUSTED_CERTIFICATE"]),
    ("not-yet-valid", ["SELF_SIGNED_CERTIFICATE", "NOT_YET_VALID_CERTIFICATE", "UNTRUSTED_CERTIFICATE"]),
])
def test_each_signer_kind_raises_its_warnings(tmp_path, signer, expected):
    package = make_ovf_package(tmp_path, signer=signer)
    assert compute_preview(package.cert.read_bytes(), [])["warnings"] == expected


def test_a_ca_issued_signer_is_trusted_by_that_ca(tmp_path):
    ca = trustme.CA()
    package = make_ovf_package(tmp_path, signer=make_signer(ca=ca))
    certificate = x509.load_pem_x509_certificate(package.cert_pem.encode())
    assert certificate.issuer == x509.load_pem_x509_certificate(ca.cert_pem.bytes()).subject
    assert compute_preview(package.cert.read_bytes(), [ca.cert_pem.bytes()])["warnings"] == []
    assert verify_manifest_signature(package.cert.read_bytes(), package.mf.read_bytes())


def test_deterministic_content_is_the_same_every_time_and_streams_in_chunks():
    first = list(deterministic_chunks("disk.vmdk", 2_500_000, chunk_size=1 << 20))
    assert [len(chunk) for chunk in first] == [1 << 20, 1 << 20, 2_500_000 - (2 << 20)]
    assert first == list(deterministic_chunks("disk.vmdk", 2_500_000, chunk_size=1 << 20))
    assert first[0] != first[1]  # not one block repeated
    assert b"".join(deterministic_chunks("other.vmdk", 100)) != b"".join(first)[:100]
    assert list(deterministic_chunks("empty", 0)) == []


def test_the_ova_holds_the_descriptor_first_then_manifest_cert_and_files(tmp_path):
    package = make_ova(tmp_path, name="appliance", disks={"appliance-disk1.vmdk": 4096},
                       extra_files={"appliance.nvram": b"x"})
    assert package.ova == tmp_path / "appliance.ova"
    with tarfile.open(package.ova) as archive:
        members = archive.getmembers()
        assert [member.name for member in members] == [
            "appliance.ovf", "appliance.mf", "appliance.cert", "appliance-disk1.vmdk", "appliance.nvram"]
        for member in members:
            assert archive.extractfile(member).read() == package.files[member.name].path.read_bytes()


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="digest"):
        make_ovf_package(tmp_path, digest="MD5")
    with pytest.raises(ValueError, match="signer"):
        make_ovf_package(tmp_path, signer="trusted")
    with pytest.raises(ValueError, match="validity"):
        make_signer("soon")
    with pytest.raises(ValueError, match="both a disk and an extra file"):
        make_ovf_package(tmp_path, disks={"a": 1}, extra_files={"a": 2})
