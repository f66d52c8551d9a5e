# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""vcenter_simulator.preview: the preview derived from a .cert file, checked against certificates made here."""

import base64
import datetime

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ovf_package import certificate_file, make_signer
from vcenter_simulator.preview import compute_preview, load_certificates, verify_manifest_signature

NOW = datetime.datetime.now(datetime.timezone.utc)
MF = b"SHA256(photon.ovf)= 00\n"


def cert_file(signer):
    return certificate_file(signer, "photon.mf", MF)


def test_a_self_signed_certificate_is_self_signed_and_untrusted():
    signer = make_signer()
    preview = compute_preview(cert_file(signer), [], NOW)
    assert preview["warnings"] == ["SELF_SIGNED_CERTIFICATE", "UNTRUSTED_CERTIFICATE"]
    info = preview["certificate_info"]
    assert info == {
        "issuer": signer.certificate.issuer.rfc4514_string(),
        "subject": signer.certificate.subject.rfc4514_string(),
        "self_signed": True,
        "x509": signer.cert_pem,
    }
    assert info["subject"] == "CN=vsphere.content test signer,O=vsphere.content tests"
    der = signer.certificate.public_bytes(serialization.Encoding.DER)
    assert preview["cert_chain"] == [base64.b64encode(der).decode("ascii")]


def test_a_self_signed_certificate_listed_as_trusted_is_only_self_signed():
    signer = make_signer()
    preview = compute_preview(cert_file(signer), [signer.cert_pem], NOW)
    assert preview["warnings"] == ["SELF_SIGNED_CERTIFICATE"]


@pytest.mark.parametrize(("validity", "warning"), [
    ("expired", "EXPIRED_CERTIFICATE"),
    ("not-yet-valid", "NOT_YET_VALID_CERTIFICATE"),
])
def test_validity_is_judged_at_now(validity, warning):
    ca = trustme.CA()
    signer = make_signer(validity, ca=ca)
    roots = [ca.cert_pem.bytes()]
    assert compute_preview(cert_file(signer), roots, NOW)["warnings"] == [warning]
    inside = signer.certificate.not_valid_before_utc + datetime.timedelta(hours=1)
    assert compute_preview(cert_file(signer), roots, inside)["warnings"] == []
    naive = inside.replace(tzinfo=None)  # taken as UTC
    assert compute_preview(cert_file(signer), roots, naive)["warnings"] == []


def test_a_certificate_issued_by_a_trusted_root_raises_nothing():
    ca = trustme.CA()
    signer = make_signer(ca=ca)
    preview = compute_preview(cert_file(signer), [ca.cert_pem.bytes().decode()], NOW)
    assert preview["warnings"] == []
    assert preview["certificate_info"]["self_signed"] is False
    assert preview["certificate_info"]["issuer"] == x509.load_pem_x509_certificate(
        ca.cert_pem.bytes()).subject.rfc4514_string()


def test_a_certificate_issued_by_another_root_is_untrusted():
    signer = make_signer(ca=trustme.CA())
    assert compute_preview(cert_file(signer), [trustme.CA().cert_pem.bytes()], NOW)["warnings"] == [
        "UNTRUSTED_CERTIFICATE"]
    assert compute_preview(cert_file(signer), [], NOW)["warnings"] == ["UNTRUSTED_CERTIFICATE"]


def test_trust_is_the_issuer_signature_not_a_matching_name():
    ca, impostor = trustme.CA(), trustme.CA()
    signer = make_signer(ca=_CaWithKeyOf(ca, impostor))
    assert signer.certificate.issuer == x509.load_pem_x509_certificate(ca.cert_pem.bytes()).subject
    assert compute_preview(cert_file(signer), [ca.cert_pem.bytes()], NOW)["warnings"] == ["UNTRUSTED_CERTIFICATE"]


class _CaWithKeyOf:
    """The certificate of one CA with the private key of another: signs certificates naming the wrong issuer."""

    def __init__(self, named, keyed):
        self.cert_pem = named.cert_pem
        self.private_key_pem = keyed.private_key_pem


def test_an_intermediate_shipped_in_the_cert_file_completes_the_chain():
    root = trustme.CA()
    intermediate = root.create_child_ca()
    signer = make_signer(ca=intermediate, chain=[intermediate.cert_pem.bytes()])
    preview = compute_preview(cert_file(signer), [root.cert_pem.bytes()], NOW)
    assert preview["warnings"] == []
    assert len(preview["cert_chain"]) == 2
    without_chain = make_signer(ca=intermediate)
    assert compute_preview(cert_file(without_chain), [root.cert_pem.bytes()], NOW)["warnings"] == [
        "UNTRUSTED_CERTIFICATE"]


def test_a_leaf_cannot_act_as_an_intermediate():
    root = trustme.CA()
    leaf = make_signer(ca=root)
    # a certificate "issued" by the leaf's key: the leaf is not a CA, so this does not chain
    below = make_signer(ca=_Leaf(leaf), common_name="below", chain=[leaf.cert_pem])
    assert compute_preview(cert_file(below), [root.cert_pem.bytes()], NOW)["warnings"] == ["UNTRUSTED_CERTIFICATE"]


class _Leaf:
    def __init__(self, signer):
        pem = signer.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption())
        self.cert_pem = trustme.Blob(signer.cert_pem.encode())
        self.private_key_pem = trustme.Blob(pem)


def test_a_cert_file_without_a_certificate_is_a_clear_value_error():
    with pytest.raises(ValueError, match="no PEM certificate"):
        compute_preview(b"SHA256(photon.mf)= 00\n", [], NOW)
    broken = b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
    with pytest.raises(ValueError, match="certificate 1 of 1 in the .cert file does not parse"):
        compute_preview(broken, [], NOW)


def test_str_input_and_several_certificates_per_trusted_entry():
    ca = trustme.CA()
    signer = make_signer(ca=ca)
    bundle = trustme.CA().cert_pem.bytes() + ca.cert_pem.bytes()
    assert compute_preview(cert_file(signer).decode(), [bundle], None)["warnings"] == []
    assert len(load_certificates(bundle)) == 2


def test_the_manifest_signature_verifies_only_over_the_signed_bytes():
    signer = make_signer()
    cert = cert_file(signer)
    assert verify_manifest_signature(cert, MF)
    assert not verify_manifest_signature(cert, MF.replace(b"00", b"01"))
    with pytest.raises(ValueError, match="signature line"):
        verify_manifest_signature(signer.cert_pem, MF)
