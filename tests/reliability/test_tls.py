# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Trusting a private CA with ca_path, and clear messages when the certificate does not fit."""

import shutil
import subprocess

import pytest
import trustme

from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from helpers import certificate_loads, connection_args, request_sequence, run_module
from vcenter_simulator import VCenterSimulator

SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}


@pytest.fixture
def unrelated_ca(tmp_path):
    path = tmp_path / "unrelated-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def private_ca(simulator, isolated_env, unrelated_ca, figures):
    """The simulator's CA is trusted only through ca_path: the CA bundle variables name another CA."""
    isolated_env.setenv("REQUESTS_CA_BUNDLE", unrelated_ca)
    isolated_env.setenv("CURL_CA_BUNDLE", unrelated_ca)
    figures.add("tls", "tls.scenarios")
    return simulator


def run(sim, session_id="s-1", **options):
    args = connection_args(sim, update_session_id=session_id, warning_behavior=[SELF_SIGNED], retry_backoff=0)
    args.update(options)
    return run_module(main, args)


def test_ca_path_verifies_the_default_validate_certs(private_ca):
    session_id = private_ca.state.add_update_session()
    result = run(private_ca, session_id, ca_path=private_ca.ca_file)
    assert result["changed"] is True
    assert result["invocation"]["module_args"]["validate_certs"] is True


def test_ca_path_from_the_environment(private_ca, isolated_env):
    session_id = private_ca.state.add_update_session()
    isolated_env.setenv("VMWARE_CA_PATH", private_ca.ca_file)
    assert run(private_ca, session_id)["changed"] is True


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to hash a CA directory")
def test_ca_path_may_be_a_hashed_directory(private_ca, tmp_path):
    ca_dir = tmp_path / "cas"
    ca_dir.mkdir()
    subject_hash = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", private_ca.ca_file],
                                  capture_output=True, text=True, check=True).stdout.strip()
    shutil.copy(private_ca.ca_file, str(ca_dir / ("%s.0" % subject_hash)))
    session_id = private_ca.state.add_update_session()
    assert run(private_ca, session_id, ca_path=str(ca_dir))["changed"] is True


def test_without_ca_path_the_certificate_is_not_trusted(private_ca):
    result = run(private_ca)
    assert result["msg"] == (
        "TLS certificate verification failed for 127.0.0.1:%d: unable to get local issuer certificate; set ca_path "
        "to the CA bundle that signed the vCenter certificate, or set validate_certs: false" % private_ca.port)
    assert private_ca.requests == []


def test_ca_path_wins_over_requests_ca_bundle(private_ca, unrelated_ca, isolated_env):
    isolated_env.setenv("REQUESTS_CA_BUNDLE", private_ca.ca_file)
    result = run(private_ca, ca_path=unrelated_ca)
    assert result["msg"].startswith("TLS certificate verification failed for 127.0.0.1:%d: " % private_ca.port)


def test_a_missing_ca_path_is_refused_before_any_request(private_ca, tmp_path):
    result = run(private_ca, ca_path=str(tmp_path / "nowhere.pem"))
    assert result["msg"] == "ca_path %s does not exist" % (tmp_path / "nowhere.pem")
    assert private_ca.requests == []


def test_a_run_loads_its_ca_once_even_when_it_connects_again(private_ca, monkeypatch):
    session_id = private_ca.state.add_update_session()
    # The first read of the session is hung up on: the retry opens a second connection.
    private_ca.inject_fault(method="GET", path="update-session", drop=True)
    loads = certificate_loads(monkeypatch)
    assert run(private_ca, session_id, ca_path=private_ca.ca_file)["changed"] is True
    assert [entry["route"] for entry in private_ca.requests][:3] == ["login", "fault", "get_session"]
    assert loads == [("load_verify_locations", private_ca.ca_file)]


def test_validate_certs_false_loads_no_certificates(private_ca, monkeypatch):
    """urllib3 alone would load the system's whole store into a context that verifies nothing."""
    session_id = private_ca.state.add_update_session()
    loads = certificate_loads(monkeypatch)
    assert run(private_ca, session_id, validate_certs=False)["changed"] is True
    assert loads == []


def test_ca_path_is_ignored_when_validate_certs_is_false(private_ca, tmp_path):
    session_id = private_ca.state.add_update_session()
    result = run(private_ca, session_id, ca_path=str(tmp_path / "nowhere.pem"), validate_certs=False)
    assert result["changed"] is True


@pytest.mark.parametrize("hostname, mismatch", [
    ("127.0.0.1", "IP address mismatch, certificate is not valid for '127.0.0.1'"),
    ("localhost", "Hostname mismatch, certificate is not valid for 'localhost'"),
])
def test_hostname_mismatch_names_the_host_and_what_to_set(isolated_env, unrelated_ca, figures, hostname, mismatch):
    isolated_env.setenv("REQUESTS_CA_BUNDLE", unrelated_ca)
    figures.add("tls", "tls.scenarios")
    with VCenterSimulator(cert_names=["vcenter.example.com"]) as other:
        result = run(other, hostname=hostname, ca_path=other.ca_file)
        assert result["msg"] == (
            "TLS certificate verification failed for %s:%d: %s; set hostname to a name the certificate was issued "
            "for, or set validate_certs: false" % (hostname, other.port, mismatch))
        assert request_sequence(other) == []
