# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OVF packages for tests: a descriptor, its disks and extra files, a manifest and, when signed, a certificate.

    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 5 << 20}, extra_files={"photon.nvram": b"..."})
    for path in package.paths:        # .mf, .cert, .ovf, then the referenced files: the order to upload them
        ...
    package.files["photon-disk1.vmdk"].sha1, package.cert_pem

The layout is what ovftool writes: ``<name>.ovf`` (an OVF 1.x envelope whose
References name every disk and extra file with ovf:href, ovf:size and ovf:id),
``<name>.mf`` (``SHA256(<file>)= <hex>`` for the .ovf and every referenced
file) and ``<name>.cert`` (``SHA256(<name>.mf)= <hex RSA signature of the .mf>``
followed by the signer's PEM certificate and any intermediates).

A file's content is bytes, or a size: then deterministic bytes are streamed to
disk in chunks, so a package of any size costs no memory.
"""

import datetime
import functools
import hashlib
import os
import random
import tarfile
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CHUNK = 1 << 20
DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
SIGNATURE_HASHES = {"SHA1": hashes.SHA1, "SHA256": hashes.SHA256, "SHA512": hashes.SHA512}
VALIDITIES = ("valid", "expired", "not-yet-valid")
VMDK_FORMAT = "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"


# -- signers -------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _shared_key():
    """One RSA key for every signer that is not given its own: generating one costs tens of milliseconds."""
    return generate_key()


def generate_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@dataclass(frozen=True)
class Signer:
    """An RSA private key and its certificate; ``chain`` holds the PEM of intermediates to ship after it."""

    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple = ()

    @property
    def cert_pem(self):
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def sign(self, data, algorithm="SHA256"):
        """The RSA PKCS#1 v1.5 signature of ``data`` with the given digest, as ovftool signs a manifest."""
        return self.private_key.sign(data, padding.PKCS1v15(), SIGNATURE_HASHES[algorithm]())


def _validity(validity, now):
    if validity == "valid":
        return now - datetime.timedelta(hours=1), now + datetime.timedelta(days=365)
    if validity == "expired":
        return now - datetime.timedelta(days=730), now - datetime.timedelta(days=1)
    if validity == "not-yet-valid":
        return now + datetime.timedelta(days=1), now + datetime.timedelta(days=730)
    raise ValueError("validity must be one of %s, not %r" % (", ".join(VALIDITIES), validity))


def _issuer_algorithm(key):
    return None if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()


def make_signer(validity="valid", ca=None, common_name="vsphere.content test signer", key=None, chain=(), now=None):
    """A code-signing certificate: self-signed, or issued by ``ca``.

    ``validity``: "valid", "expired" (ended yesterday) or "not-yet-valid" (starts tomorrow).
    ``ca``: a trustme.CA, or anything with ``cert_pem.bytes()`` and ``private_key_pem.bytes()``.
    ``chain``: PEM certificates (str or bytes) shipped after the signer's, e.g. the intermediate CA that issued it.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    not_before, not_after = _validity(validity, now)
    key = key or _shared_key()
    subject = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "vsphere.content tests"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    if ca is None:
        issuer, issuer_key, issuer_public = subject, key, key.public_key()
    else:
        ca_cert = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
        issuer_key = serialization.load_pem_private_key(ca.private_key_pem.bytes(), password=None)
        issuer, issuer_public = ca_cert.subject, ca_cert.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
    )
    certificate = builder.sign(issuer_key, _issuer_algorithm(issuer_key))
    chain = tuple(pem.decode("ascii") if isinstance(pem, bytes) else pem for pem in chain)
    return Signer(key, certificate, chain)


def _resolve_signer(signer):
    if signer is None or isinstance(signer, Signer):
        return signer
    if signer == "self-signed":
        return make_signer()
    if signer in ("expired", "not-yet-valid"):
        return make_signer(signer)
    raise ValueError("signer must be a Signer, None (unsigned), 'self-signed', 'expired' or 'not-yet-valid', not %r"
                     % (signer,))


# -- package -------------------------------------------------------------------


@dataclass(frozen=True)
class PackageFile:
    """One file of the package as written: where it is, its size and its digests (lowercase hex)."""

    name: str
    path: Path
    size: int
    sha256: str
    sha1: str
    sha512: str = ""

    def digest(self, algorithm):
        return getattr(self, algorithm.lower())


@dataclass(frozen=True)
class OvfPackage:
    """What make_ovf_package wrote. ``paths`` is the upload order: .mf, .cert (if signed), .ovf, referenced files."""

    directory: Path
    name: str
    ovf: Path
    mf: Path
    cert: Path  # None when unsigned
    referenced: tuple  # the names in References, in order
    paths: tuple
    files: dict  # name -> PackageFile, for every file written (.ovf, .mf, .cert and the referenced ones)
    signer: Signer = None
    cert_pem: str = None  # the signer's certificate, None when unsigned
    digest: str = "SHA256"
    ova: Path = None  # set by make_ova


def deterministic_chunks(name, size, chunk_size=CHUNK):
    """``size`` bytes derived from ``name``, in chunks of at most ``chunk_size``: the same every run."""
    block = random.Random(name).randbytes(min(chunk_size, max(size, 1)))
    index = 0
    sent = 0
    while sent < size:
        piece = index.to_bytes(8, "big") + block[8:]
        piece = piece[:min(len(block), size - sent)]
        yield piece
        sent += len(piece)
        index += 1


def _write(path, content):
    """Write bytes or a size of deterministic bytes, hashing as it goes; returns the PackageFile."""
    chunks = deterministic_chunks(path.name, content) if isinstance(content, int) else [bytes(content)]
    hashers = {algorithm: factory() for algorithm, factory in DIGESTS.items()}
    size = 0
    with open(path, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
            for hasher in hashers.values():
                hasher.update(chunk)
            size += len(chunk)
    return PackageFile(path.name, path, size, hashers["SHA256"].hexdigest(), hashers["SHA1"].hexdigest(),
                       hashers["SHA512"].hexdigest())


def _file_size(content):
    return content if isinstance(content, int) else len(content)


def ovf_descriptor(name, disks, extra_files):
    """An OVF 1.x descriptor for one virtual machine with ``disks`` ({href: size}) and ``extra_files`` ({href: size}).

    Every disk and extra file is a References/File with ovf:href, ovf:id and ovf:size; each disk is a
    DiskSection/Disk on an LSI Logic controller; an ``.nvram`` extra file is the machine's nvram, as ovftool
    writes it (vmw:ExtraConfig nvram = ovf:/file/<id>).
    """
    references, disk_section, hardware, extra_config = [], [], [], []
    instance = 4
    file_number = 0
    for index, (href, size) in enumerate(disks.items(), 1):
        file_number += 1
        file_id, disk_id = "file%d" % file_number, "vmdisk%d" % index
        references.append('    <File ovf:href=%s ovf:id="%s" ovf:size="%d"/>' % (quoteattr(href), file_id, size))
        capacity = max(-(-size // CHUNK), 1)
        disk_section.append(
            '    <Disk ovf:capacity="%d" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="%s"'
            ' ovf:fileRef="%s" ovf:format="%s" ovf:populatedSize="%d"/>' % (capacity, disk_id, file_id, VMDK_FORMAT, size))
        hardware.append(
            "      <Item>\n"
            "        <rasd:AddressOnParent>%d</rasd:AddressOnParent>\n"
            "        <rasd:ElementName>Hard Disk %d</rasd:ElementName>\n"
            "        <rasd:HostResource>ovf:/disk/%s</rasd:HostResource>\n"
            "        <rasd:InstanceID>%d</rasd:InstanceID>\n"
            "        <rasd:Parent>3</rasd:Parent>\n"
            "        <rasd:ResourceType>17</rasd:ResourceType>\n"
            "      </Item>" % (index - 1, index, disk_id, instance))
        instance += 1
    for href, size in extra_files.items():
        file_number += 1
        file_id = "file%d" % file_number
        references.append('    <File ovf:href=%s ovf:id="%s" ovf:size="%d"/>' % (quoteattr(href), file_id, size))
        if href.endswith(".nvram"):
            extra_config.append('      <vmw:ExtraConfig ovf:required="false" vmw:key="nvram" vmw:value="ovf:/file/%s"/>'
                                % file_id)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Envelope vmw:buildId="build-0" xmlns="http://schemas.dmtf.org/ovf/envelope/1"'
        ' xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common"'
        ' xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"'
        ' xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"'
        ' xmlns:vmw="http://www.vmware.com/schema/ovf"'
        ' xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        "  <References>",
        *references,
        "  </References>",
        "  <DiskSection>",
        "    <Info>Virtual disk information</Info>",
        *disk_section,
        "  </DiskSection>",
        "  <VirtualSystem ovf:id=%s>" % quoteattr(name),
        "    <Info>A virtual machine</Info>",
        "    <Name>%s</Name>" % escape(name),
        '    <OperatingSystemSection ovf:id="36" vmw:osType="vmwarePhoton64Guest">',
        "      <Info>The kind of installed guest operating system</Info>",
        "    </OperatingSystemSection>",
        "    <VirtualHardwareSection>",
        "      <Info>Virtual hardware requirements</Info>",
        "      <System>",
        "        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>",
        "        <vssd:InstanceID>0</vssd:InstanceID>",
        "        <vssd:VirtualSystemIdentifier>%s</vssd:VirtualSystemIdentifier>" % escape(name),
        "        <vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType>",
        "      </System>",
        "      <Item>",
        "        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>",
        "        <rasd:Description>Number of Virtual CPUs</rasd:Description>",
        "        <rasd:ElementName>1 virtual CPU(s)</rasd:ElementName>",
        "        <rasd:InstanceID>1</rasd:InstanceID>",
        "        <rasd:ResourceType>3</rasd:ResourceType>",
        "        <rasd:VirtualQuantity>1</rasd:VirtualQuantity>",
        "      </Item>",
        "      <Item>",
        "        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>",
        "        <rasd:Description>Memory Size</rasd:Description>",
        "        <rasd:ElementName>512MB of memory</rasd:ElementName>",
        "        <rasd:InstanceID>2</rasd:InstanceID>",
        "        <rasd:ResourceType>4</rasd:ResourceType>",
        "        <rasd:VirtualQuantity>512</rasd:VirtualQuantity>",
        "      </Item>",
        "      <Item>",
        "        <rasd:Address>0</rasd:Address>",
        "        <rasd:Description>SCSI Controller</rasd:Description>",
        "        <rasd:ElementName>SCSI Controller 0</rasd:ElementName>",
        "        <rasd:InstanceID>3</rasd:InstanceID>",
        "        <rasd:ResourceSubType>lsilogic</rasd:ResourceSubType>",
        "        <rasd:ResourceType>6</rasd:ResourceType>",
        "      </Item>",
        *hardware,
        *extra_config,
        "    </VirtualHardwareSection>",
        "  </VirtualSystem>",
        "</Envelope>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def manifest(entries, digest="SHA256"):
    """The .mf bytes for ``entries`` (PackageFile objects): one ``ALG(name)= hex`` line each."""
    return "".join("%s(%s)= %s\n" % (digest, entry.name, entry.digest(digest)) for entry in entries).encode("ascii")


def certificate_file(signer, mf_name, mf_bytes, digest="SHA256"):
    """The .cert bytes: the signature line over the manifest, the signer's PEM, then its chain."""
    signature = signer.sign(mf_bytes, digest).hex()
    pems = [signer.cert_pem] + list(signer.chain)
    return ("%s(%s)= %s\n" % (digest, mf_name, signature) + "".join(pems)).encode("ascii")


def make_ovf_package(directory, name="photon", disks=None, extra_files=None, signer="self-signed", digest="SHA256"):
    """Write an OVF package into ``directory`` and describe it.

    ``disks`` and ``extra_files`` map a file name to its content: bytes, or an int size of deterministic
    bytes (default: one 64 KiB disk ``<name>-disk1.vmdk``). ``signer``: a Signer (see make_signer), None for
    an unsigned package (no .cert), or "self-signed" (default), "expired", "not-yet-valid" for a fresh
    self-signed signer of that validity. ``digest``: SHA256 (default), SHA1 or SHA512, for the .mf lines and
    the .cert signature.
    """
    if digest not in DIGESTS:
        raise ValueError("digest must be one of %s, not %r" % (", ".join(DIGESTS), digest))
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    disks = {"%s-disk1.vmdk" % name: 64 << 10} if disks is None else dict(disks)
    extra_files = dict(extra_files or {})
    clash = set(disks) & set(extra_files)
    if clash:
        raise ValueError("a name is both a disk and an extra file: %s" % ", ".join(sorted(clash)))
    signer = _resolve_signer(signer)

    files = {}
    referenced = tuple(disks) + tuple(extra_files)
    for href, content in list(disks.items()) + list(extra_files.items()):
        files[href] = _write(directory / href, content)
    descriptor = ovf_descriptor(name, {href: _file_size(disks[href]) for href in disks},
                                {href: _file_size(extra_files[href]) for href in extra_files})
    ovf_name, mf_name, cert_name = name + ".ovf", name + ".mf", name + ".cert"
    files[ovf_name] = _write(directory / ovf_name, descriptor)
    mf_bytes = manifest([files[ovf_name]] + [files[href] for href in referenced], digest)
    files[mf_name] = _write(directory / mf_name, mf_bytes)
    cert_path = None
    if signer is not None:
        files[cert_name] = _write(directory / cert_name, certificate_file(signer, mf_name, mf_bytes, digest))
        cert_path = files[cert_name].path
    order = [mf_name] + ([cert_name] if signer is not None else []) + [ovf_name] + list(referenced)
    return OvfPackage(
        directory=directory,
        name=name,
        ovf=files[ovf_name].path,
        mf=files[mf_name].path,
        cert=cert_path,
        referenced=referenced,
        paths=tuple(files[entry].path for entry in order),
        files=files,
        signer=signer,
        cert_pem=signer.cert_pem if signer is not None else None,
        digest=digest,
    )


def make_ova(directory, name="photon", **kwargs):
    """``<name>.ova`` in ``directory``: a USTAR tar of the package, .ovf first, then .mf, .cert and the files.

    Takes make_ovf_package's keyword arguments; the loose files are written to ``<directory>/<name>-ova-files``.
    Returns the OvfPackage with ``ova`` set.
    """
    directory = Path(directory)
    package = make_ovf_package(directory / ("%s-ova-files" % name), name=name, **kwargs)
    members = [package.ovf, package.mf] + ([package.cert] if package.cert else [])
    members += [package.files[href].path for href in package.referenced]
    ova = directory / (name + ".ova")
    with tarfile.open(ova, "w", format=tarfile.USTAR_FORMAT) as archive:
        for path in members:
            info = archive.gettarinfo(str(path), arcname=path.name)
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mode = 0o644
            with open(path, "rb") as handle:
                archive.addfile(info, handle)
    return replace(package, ova=ova)


__all__ = [
    "OvfPackage", "PackageFile", "Signer", "certificate_file", "deterministic_chunks", "generate_key",
    "make_ova", "make_ovf_package", "make_signer", "manifest", "ovf_descriptor",
]


def main(argv):
    """``python tests/ovf_package.py [DIRECTORY]``: a signed test template there (default: here), and
    ``signer.pem``, its self-signed signer, for the simulator's ``--trusted-root``; prints every path."""
    written = make_ovf_package(argv[0] if argv else os.getcwd())
    signer = Path(written.directory) / "signer.pem"
    signer.write_text(written.cert_pem)
    print("\n".join(str(path) for path in written.paths + (signer,)))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
