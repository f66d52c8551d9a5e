# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The preview of signed content, computed from its ``.cert`` file as vCenter computes it.

An OVF package's ``.cert`` holds a signature line over the manifest
(``SHA256(<name>.mf)= <hex>``) followed by the signer's PEM certificate and any
intermediate certificates. ``compute_preview`` turns it into the
``certificate_info``, ``cert_chain`` and warning types of the update session's
PreviewInfo; ``verify_manifest_signature`` checks the signature line against
the ``.mf`` bytes. Pure functions: no state, no I/O.
"""

import base64
import datetime
import re

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

# The spec's WarningType enumeration, in its order; warnings are returned in this order.
WARNING_TYPES = ("SELF_SIGNED_CERTIFICATE", "EXPIRED_CERTIFICATE", "NOT_YET_VALID_CERTIFICATE", "UNTRUSTED_CERTIFICATE")
MAX_CHAIN_LENGTH = 8
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----\s.*?-----END CERTIFICATE-----", re.DOTALL)
_SIGNATURE_LINE = re.compile(r"^\s*(SHA1|SHA256|SHA512)\(([^)]+)\)\s*=\s*([0-9A-Fa-f]+)\s*$")
_HASHES = {"SHA1": hashes.SHA1, "SHA256": hashes.SHA256, "SHA512": hashes.SHA512}


def _as_bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def load_certificates(cert_bytes):
    """Every PEM certificate in ``cert_bytes`` (bytes or str), in file order; the first is the signer's.

    Raises ValueError when there is none, or when a PEM block does not parse.
    """
    blocks = _PEM_BLOCK.findall(_as_bytes(cert_bytes))
    if not blocks:
        raise ValueError("the .cert file holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)")
    certificates = []
    for number, block in enumerate(blocks, 1):
        try:
            certificates.append(x509.load_pem_x509_certificate(block))
        except ValueError as error:
            raise ValueError("certificate %d of %d in the .cert file does not parse: %s"
                             % (number, len(blocks), error)) from error
    return certificates


def _load_roots(trusted_roots):
    roots = []
    for pem in trusted_roots or ():
        roots.extend(load_certificates(pem))
    return roots


def _is_ca(certificate):
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return certificate.version == x509.Version.v1  # v1 certificates predate the extension


def issued_by(certificate, issuer):
    """Whether ``issuer``'s key signed ``certificate`` (and the names match): the signature is verified."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _der(certificate):
    return certificate.public_bytes(serialization.Encoding.DER)


def chains_to(certificate, intermediates, trusted_roots):
    """Whether ``certificate`` chains to one of ``trusted_roots`` through CA certificates among ``intermediates``.

    Each link's signature is verified with the issuer's public key; a certificate that is itself one of the
    roots is trusted.
    """
    root_ders = {_der(root) for root in trusted_roots}
    current, used = certificate, set()
    for _step in range(MAX_CHAIN_LENGTH):
        if _der(current) in root_ders:
            return True
        if any(_is_ca(root) and issued_by(current, root) for root in trusted_roots):
            return True
        index = next((index for index, candidate in enumerate(intermediates)
                      if index not in used and _is_ca(candidate) and issued_by(current, candidate)), None)
        if index is None:
            return False
        used.add(index)
        current = intermediates[index]
    return False


def _utc(moment):
    if moment is None:
        return datetime.datetime.now(datetime.timezone.utc)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def compute_preview(cert_bytes, trusted_roots=(), now=None):
    """The preview of content signed with the certificate(s) in a ``.cert`` file.

    ``trusted_roots``: PEM certificates (bytes or str, one or more per entry) the content may chain to.
    ``now``: the moment to judge validity at (default: now, UTC; a naive datetime is taken as UTC).

    Returns ``{"certificate_info": {"issuer", "subject", "self_signed", "x509"}, "cert_chain": [base64 DER, ...],
    "warnings": [warning types]}``; issuer and subject are RFC 4514 strings, x509 the signer's PEM, cert_chain
    every certificate of the file in order. Raises ValueError when the file holds no parseable certificate.
    """
    certificates = load_certificates(cert_bytes)
    signer, intermediates = certificates[0], certificates[1:]
    roots = _load_roots(trusted_roots)
    now = _utc(now)
    self_signed = signer.issuer == signer.subject and issued_by(signer, signer)
    raised = set()
    if self_signed:
        raised.add("SELF_SIGNED_CERTIFICATE")
    if now > signer.not_valid_after_utc:
        raised.add("EXPIRED_CERTIFICATE")
    if now < signer.not_valid_before_utc:
        raised.add("NOT_YET_VALID_CERTIFICATE")
    if not chains_to(signer, intermediates, roots):
        raised.add("UNTRUSTED_CERTIFICATE")
    return {
        "certificate_info": {
            "issuer": signer.issuer.rfc4514_string(),
            "subject": signer.subject.rfc4514_string(),
            "self_signed": self_signed,
            "x509": signer.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        },
        "cert_chain": [base64.b64encode(_der(certificate)).decode("ascii") for certificate in certificates],
        "warnings": [warning for warning in WARNING_TYPES if warning in raised],
    }


def parse_signature_line(cert_bytes):
    """``(algorithm, manifest name, signature bytes)`` from the first line of a ``.cert`` file; ValueError if absent."""
    text = _as_bytes(cert_bytes).decode("ascii", errors="replace")
    first = text.split("\n", 1)[0]
    match = _SIGNATURE_LINE.match(first)
    if not match:
        raise ValueError("the .cert file does not start with a signature line like 'SHA256(<name>.mf)= <hex>'")
    return match.group(1), match.group(2), bytes.fromhex(match.group(3))


def verify_manifest_signature(cert_bytes, mf_bytes, mf_name=None):
    """Whether the ``.cert``'s signature line is the signer's signature of ``mf_bytes``.

    With ``mf_name``, the line must also name that manifest. RSA (PKCS#1 v1.5) and ECDSA keys are checked.
    Raises ValueError when the file has no signature line or no certificate.
    """
    algorithm, name, signature = parse_signature_line(cert_bytes)
    if mf_name is not None and name != mf_name:
        return False
    key = load_certificates(cert_bytes)[0].public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, _as_bytes(mf_bytes), padding.PKCS1v15(), _HASHES[algorithm]())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, _as_bytes(mf_bytes), ec.ECDSA(_HASHES[algorithm]()))
        else:
            return False
    except InvalidSignature:
        return False
    return True
