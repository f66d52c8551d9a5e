# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PULL through content_library_update_session_file, the info module's include_files, and completion that
validates first: the real modules against the simulator over real HTTPS."""

import hashlib

from ansible_collections.vsphere.content.plugins.modules import (
    content_library_update_session,
    content_library_update_session_file,
    content_library_update_session_info,
)
from helpers import assert_logged_out, connection_args, routes, run_module

CONTENT = b"an ISO image, more or less\n" * 4096
SHA256 = hashlib.sha256(CONTENT).hexdigest()


def pull(sim, session_id, url, check_mode=False, diff=False, **options):
    args = connection_args(sim, update_session_id=session_id, name=options.pop("name", "image.iso"), url=url)
    args.update(options)
    return run_module(content_library_update_session_file.main, args, check_mode=check_mode, diff=diff)


def test_pull_over_http_waits_until_ready_then_is_ok(trusted_simulator, file_source):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    url = file_source().add("image.iso", CONTENT)
    first = pull(sim, session_id, url, checksum=SHA256, diff=True)
    assert first["changed"] is True
    assert first["file"]["status"] == "READY" and first["file"]["size"] == len(CONTENT)
    assert first["file"]["source_endpoint"] == {"uri": url}
    assert first["diff"]["after"] == {"name": "image.iso", "size": len(CONTENT), "checksum": "SHA256:" + SHA256,
                                      "source": url}
    (add,) = sim.calls(route="add_file")
    assert add["body"] == {"name": "image.iso", "source_type": "PULL", "source_endpoint": {"uri": url},
                           "checksum_info": {"algorithm": "SHA256", "checksum": SHA256}}
    assert "bytes_uploaded" not in first

    sim.clear_log()
    again = pull(sim, session_id, url, checksum=SHA256)
    assert again["changed"] is False
    assert routes(sim) == ["login", "get_session", "get_file", "logout"]
    assert_logged_out(sim)


def test_pull_check_mode_sends_no_add(trusted_simulator, file_source):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    url = file_source().add("image.iso", CONTENT)
    result = pull(sim, session_id, url, check_mode=True)
    assert result["changed"] is True and result["file"]["source_endpoint"] == {"uri": url}
    assert sim.calls(route="add_file") == []


def test_https_with_the_thumbprint_is_sent_as_given_and_never_guessed(trusted_simulator, file_source):
    sim = trusted_simulator
    source = file_source(tls=True)
    url = source.add("image.iso", CONTENT)
    session_id = sim.state.add_update_session()
    result = pull(sim, session_id, url, url_thumbprint=source.thumbprint)
    assert result["file"]["status"] == "READY"
    assert sim.calls(route="add_file")[0]["body"]["source_endpoint"] == {
        "uri": url, "ssl_certificate_thumbprint": source.thumbprint}

    # Without a thumbprint none is guessed: vCenter validates the source's certificate, and distrusts it.
    other = sim.state.add_update_session()
    failed = pull(sim, other, url)
    assert sim.calls(route="add_file")[-1]["body"]["source_endpoint"] == {"uri": url}
    assert failed["failed"] is True and failed["changed"] is True
    assert failed["msg"].startswith("vCenter could not pull file image.iso of update session %s from %s: " % (other, url))
    assert failed["file"]["status"] == "ERROR"
    assert source.requests == ["/image.iso"], "the module itself never connected to the source"


def test_a_sha256_thumbprint_in_any_spelling_is_sent_as_colon_separated_upper_case_pairs(trusted_simulator, file_source):
    sim = trusted_simulator
    source = file_source(tls=True)
    url = source.add("image.iso", CONTENT)
    spelled = " " + source.sha256_thumbprint.replace(":", "-").lower() + " "
    result = pull(sim, sim.state.add_update_session(), url, url_thumbprint=spelled)
    assert result["changed"] is True and result["file"]["status"] == "READY"
    assert sim.calls(route="add_file")[0]["body"]["source_endpoint"] == {
        "uri": url, "ssl_certificate_thumbprint": source.sha256_thumbprint}


def test_a_wrong_thumbprint_or_a_failing_source_fails_with_vcenters_message(trusted_simulator, file_source):
    sim = trusted_simulator
    source = file_source(tls=True)
    url = source.add("image.iso", CONTENT)
    session_id = sim.state.add_update_session()
    wrong = pull(sim, session_id, url, url_thumbprint="AA:" * 19 + "AA")
    assert wrong["failed"] is True and "thumbprint" in wrong["msg"]
    broken = pull(sim, session_id, source.fail("/broken.iso", 500), name="broken.iso", url_thumbprint=source.thumbprint)
    assert broken["failed"] is True and "500" in broken["msg"]
    assert "\n" not in broken["msg"]


def test_wait_false_returns_at_once(trusted_simulator, file_source):
    sim = trusted_simulator
    source = file_source()
    source.chunk_delay = 0.05
    url = source.add("image.iso", CONTENT)
    session_id = sim.state.add_update_session()
    result = pull(sim, session_id, url, wait=False)
    assert result["changed"] is True
    assert result["file"]["status"] in ("WAITING_FOR_TRANSFER", "TRANSFERRING")
    assert sim.calls(route="get_file")[-1]["status"] == 400, "only the lookup before the add"


def test_completion_validates_first_and_names_each_problem(trusted_simulator, tmp_path):
    sim = trusted_simulator
    from ovf_package import make_ovf_package

    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 2048}, extra_files={"photon.nvram": b"nv"},
                               signer=None)
    item = sim.state.add_library_item(type="ovf")
    session_id = sim.state.add_update_session(library_item_id=item)
    ovf = package.ovf
    run_module(content_library_update_session_file.main,
               connection_args(sim, update_session_id=session_id, name=ovf.name, src=str(ovf)))
    sim.clear_log()
    result = run_module(content_library_update_session.main,
                        connection_args(sim, update_session_id=session_id, state="completed"))
    assert result["failed"] is True
    assert result["msg"] == (
        "update session %s cannot be completed: photon-disk1.vmdk: missing (not added to the session); "
        "photon.nvram: missing (not added to the session)" % session_id)
    assert sim.calls(route="complete_session") == [], "complete is not called"
    assert sim.state.update_sessions[session_id]["state"] == "ACTIVE"

    info = run_module(content_library_update_session_info.main,
                      connection_args(sim, update_session_id=session_id, include_files=True))
    (session,) = info["update_sessions"]
    assert [f["name"] for f in session["files"]] == [ovf.name]
    assert all("upload_endpoint" not in f for f in session["files"])
    assert session["validation"]["has_errors"] is True
    assert sorted(session["validation"]["missing_files"]) == ["photon-disk1.vmdk", "photon.nvram"]


def test_info_without_include_files_reads_no_files(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    result = run_module(content_library_update_session_info.main, connection_args(sim, update_session_id=session_id))
    assert "files" not in result["update_sessions"][0]
    assert routes(sim) == ["login", "get_session", "logout"]


def test_include_files_on_a_finished_session_has_files_but_no_validation(trusted_simulator):
    sim = trusted_simulator
    item = sim.state.add_library_item(files=[{"name": "a.iso", "content": b"abc"}])
    session_id = sim.state.add_update_session(library_item_id=item, state="DONE")
    result = run_module(content_library_update_session_info.main,
                        connection_args(sim, update_session_id=session_id, include_files=True))
    (session,) = result["update_sessions"]
    assert [f["name"] for f in session["files"]] == ["a.iso"]
    assert "validation" not in session
    assert "validate_files" not in routes(sim)
