# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_update_session_file: the real module code, with its real argument parsing, against the simulator
over real HTTPS: PUSH, idempotence, check mode, diff, absent, the token rule, keep-alive, faults, mismatches."""

import hashlib

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_update_session_file import main
from helpers import assert_logged_out, connection_args, routes, run_module, warning_texts

ADD, GET, LIST, REMOVE, UPLOAD = "add_file", "get_file", "list_files", "remove_file", "upload"


def make_file(tmp_path, name="disk.vmdk", size=3 * 1024 * 1024 + 17, seed=b"x"):
    path = tmp_path / name
    block = hashlib.sha256(seed).digest() * 4096  # 128 KiB of deterministic bytes
    with open(path, "wb") as handle:
        written = 0
        while written < size:
            piece = block[:size - written]
            handle.write(piece)
            written += len(piece)
    return path


def digest(path, algorithm="sha256"):
    return hashlib.new(algorithm, path.read_bytes()).hexdigest()


def run(sim, session_id, check_mode=False, diff=False, **options):
    args = connection_args(sim, update_session_id=session_id, name=options.pop("name", "disk.vmdk"))
    args.update(options)
    return run_module(main, args, check_mode=check_mode, diff=diff)


def uploads(sim):
    return [entry for entry in sim.requests if entry["route"] == UPLOAD]


def session_file(sim, session_id, name="disk.vmdk"):
    return sim.state.update_sessions[session_id]["files"][name]


def test_push_uploads_verifies_and_then_is_ok(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    src = make_file(tmp_path)

    first = run(sim, session_id, src=str(src), diff=True)
    assert first["changed"] is True
    assert routes(sim) == ["login", "get_session", GET, ADD, UPLOAD, GET, "logout"]
    add = sim.calls(route=ADD)[0]["body"]
    assert add == {"name": "disk.vmdk", "source_type": "PUSH", "size": src.stat().st_size,
                   "checksum_info": {"algorithm": "SHA256", "checksum": digest(src)}}
    (put,) = uploads(sim)
    assert put["method"] == "PUT"
    assert first["file"]["status"] == "READY" and first["file"]["size"] == src.stat().st_size
    assert first["file"]["checksum_info"] == {"algorithm": "SHA256", "checksum": digest(src)}
    assert "upload_endpoint" not in first["file"]
    assert first["bytes_uploaded"] == src.stat().st_size and first["attempts"] == 1 and first["seconds"] > 0
    assert first["diff"]["before"] == {}
    assert first["diff"]["after"] == {"name": "disk.vmdk", "size": src.stat().st_size,
                                      "checksum": "SHA256:" + digest(src)}

    sim.clear_log()
    second = run(sim, session_id, src=str(src))
    assert second["changed"] is False
    assert routes(sim) == ["login", "get_session", GET, "logout"], "nothing is sent when the content is there"
    assert second["bytes_uploaded"] == 0 and second["attempts"] == 0
    assert_logged_out(sim)


def test_check_mode_hashes_and_predicts_but_sends_nothing(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    src = make_file(tmp_path, size=1000)
    result = run(sim, session_id, src=str(src), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["file"]["status"] == "READY" and result["file"]["size"] == 1000
    assert result["diff"]["after"]["checksum"] == "SHA256:" + digest(src)
    assert routes(sim) == ["login", "get_session", GET, "logout"]
    run(sim, session_id, src=str(src))
    sim.clear_log()
    assert run(sim, session_id, src=str(src), check_mode=True)["changed"] is False


def test_other_content_and_files_in_error_are_uploaded_again(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    old, new = make_file(tmp_path, "old", size=5000, seed=b"old"), make_file(tmp_path, "new", size=5000, seed=b"new")
    run(sim, session_id, src=str(old))
    sim.clear_log()
    result = run(sim, session_id, src=str(new), diff=True)
    assert result["changed"] is True and len(uploads(sim)) == 1
    assert result["diff"]["before"]["checksum"] == "SHA256:" + digest(old)
    assert result["diff"]["after"]["checksum"] == "SHA256:" + digest(new)

    # A wrong checksum given by the user leaves the file in ERROR; the next right run replaces it.
    failed = run(sim, session_id, src=str(old), checksum="0" * 64)
    assert failed["failed"] is True
    assert session_file(sim, session_id)["status"] == "ERROR"
    sim.clear_log()
    assert run(sim, session_id, src=str(new))["changed"] is True
    assert len(uploads(sim)) == 1


def test_an_item_file_is_compared_in_the_algorithm_vcenter_reports(trusted_simulator, tmp_path):
    sim = trusted_simulator
    src = make_file(tmp_path, size=4096)
    item = sim.state.add_library_item(files=[{"name": "disk.vmdk", "content": src.read_bytes()}])
    session_id = sim.state.add_update_session(library_item_id=item)
    result = run(sim, session_id, src=str(src))
    assert result["changed"] is False, "the item's SHA1 matches the local file, so nothing is sent"
    assert result["file"]["source_type"] == "NONE"
    assert uploads(sim) == []


def test_the_items_own_descriptor_is_added_again_so_that_vcenter_previews_the_package(trusted_simulator, tmp_path):
    sim = trusted_simulator
    src = tmp_path / "photon.ovf"
    src.write_bytes(b"<Envelope/>")
    item = sim.state.add_library_item(type="ovf", files=[{"name": "photon.ovf", "content": src.read_bytes()}])
    session_id = sim.state.add_update_session(library_item_id=item)

    first = run(sim, session_id, name="photon.ovf", src=str(src))
    again = run(sim, session_id, name="photon.ovf", src=str(src))

    assert first["changed"] is True and first["file"]["source_type"] == "PUSH"
    assert again["changed"] is False and len(uploads(sim)) == 1


def test_a_given_checksum_skips_hashing_and_vcenter_verifies_it(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    src = make_file(tmp_path, size=2048)
    result = run(sim, session_id, src=str(src), checksum=hashlib.sha512(src.read_bytes()).hexdigest().upper(),
                 checksum_algorithm="SHA512")
    assert result["changed"] is True
    assert result["file"]["checksum_info"]["algorithm"] == "SHA512"


def test_a_checksum_mismatch_fails_naming_both_values_and_is_never_retried(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    src = make_file(tmp_path, size=2048)
    wrong = "ab" * 32
    result = run(sim, session_id, src=str(src), checksum=wrong)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith("file disk.vmdk of update session %s failed: vCenter rejected what it received: "
                                    % session_id), result["msg"]
    assert wrong in result["msg"] and digest(src) in result["msg"]
    assert len(uploads(sim)) == 1 and len(sim.calls(route=ADD)) == 1
    assert "Traceback" not in result["msg"]
    assert_logged_out(sim)


def test_absent_removes_then_is_ok_and_check_mode_removes_nothing(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    run(sim, session_id, src=str(make_file(tmp_path, size=10)))
    sim.clear_log()
    predicted = run(sim, session_id, state="absent", check_mode=True, diff=True)
    assert predicted["changed"] is True and predicted["diff"]["after"] == {}
    assert sim.calls(route=REMOVE) == []
    assert run(sim, session_id, state="absent")["changed"] is True
    assert len(sim.calls(route=REMOVE)) == 1
    assert "disk.vmdk" not in sim.state.update_sessions[session_id]["files"]
    assert run(sim, session_id, state="absent")["changed"] is False
    assert len(sim.calls(route=REMOVE)) == 1


@pytest.mark.parametrize("simulator, server, header", [
    ({"upload_port": "same"}, "api", True),
    ({"upload_port": "separate"}, "upload", False),
], indirect=["simulator"], ids=["same host and port", "another port"])
def test_the_session_token_goes_only_to_the_vcenter_named(trusted_simulator, tmp_path, server, header):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    result = run(sim, session_id, src=str(make_file(tmp_path, size=100000)))
    assert result["changed"] is True and result["file"]["status"] == "READY"
    (put,) = uploads(sim)
    assert put["server"] == server
    assert put["session_header"] is header
    assert_logged_out(sim)


def test_keep_alive_reports_progress_during_a_slow_upload(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    src = make_file(tmp_path, size=16 * 1024 * 1024)
    sim.inject_fault(path=r"/cls/data/", stall=0.6, stall_after=1024 * 1024, times=1)
    result = run(sim, session_id, src=str(src), keep_alive_interval=0.1)
    assert result["changed"] is True
    progress = [entry["body"]["client_progress"] for entry in sim.calls(route="keep_alive_session")
                if entry["body"] and "client_progress" in entry["body"]]
    assert progress, "keep-alive ran during the upload, with the percent sent"
    assert progress == sorted(set(progress)) and all(0 < value <= 100 for value in progress)
    assert sim.state.update_sessions[session_id]["client_progress"] == progress[-1]


@pytest.mark.parametrize("fault", [
    dict(reset_after=1024 * 1024),
    dict(status=503, body=b"busy"),
    dict(stall=3.0, stall_after=1024),
], ids=["connection reset", "HTTP 503", "stalled past request_timeout"])
def test_a_broken_upload_starts_over_after_a_fresh_add(trusted_simulator, tmp_path, fault):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    src = make_file(tmp_path, size=2 * 1024 * 1024)
    sim.inject_fault(path=r"/cls/data/", times=1, **fault)
    result = run(sim, session_id, src=str(src), request_timeout=1, retry_backoff=0)
    assert result["changed"] is True, result
    assert result["attempts"] == 2
    assert len(sim.calls(route=ADD)) == 2 and len(uploads(sim)) == 2
    assert session_file(sim, session_id)["status"] == "READY"
    assert_logged_out(sim)


def test_retries_run_out_with_a_clear_message(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    sim.inject_fault(path=r"/cls/data/", reset_after=1000, times=-1)
    result = run(sim, session_id, src=str(make_file(tmp_path, size=300000)), retries=2, retry_backoff=0)
    assert result["failed"] is True
    assert result["msg"].startswith("file disk.vmdk of update session %s failed after 3 attempts: the upload "
                                    % session_id), result["msg"]
    assert len(uploads(sim)) == 3
    assert "\n" not in result["msg"]
    assert_logged_out(sim)


def test_a_finished_session_takes_no_file(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(state="DONE")
    result = run(sim, session_id, src=str(make_file(tmp_path, size=10)))
    assert result["failed"] is True
    assert result["msg"] == "update session %s is DONE; only ACTIVE sessions can be updated" % session_id


def test_an_unknown_session_fails_clearly(trusted_simulator, tmp_path):
    result = run(trusted_simulator, "no-such-session", src=str(make_file(tmp_path, size=10)))
    assert result["failed"] is True
    assert result["msg"] == "update session no-such-session not found"


@pytest.mark.parametrize("options, message", [
    ({}, "state=present needs exactly one of src and url"),
    ({"src": "/nonexistent/file"}, "src /nonexistent/file is not a file on the host that runs the module"),
    ({"url": "ftp://host/a.iso"}, "url must be an http, https or ds URL, not 'ftp://host/a.iso'"),
    ({"url": "http://host/a.iso", "url_thumbprint": "AA:BB"}, "url_thumbprint applies only to an https url"),
    ({"url": "https://host/a.iso", "url_thumbprint": "AA:BB"},
     "url_thumbprint must be the SHA-1 (40 hexadecimal digits) or SHA-256 (64) thumbprint of the server's "
     "certificate, with or without colons, not 'AA:BB'"),
    ({"url": "https://host/a.iso", "checksum": "abc"},
     "checksum must be the 64 hexadecimal digits of a SHA256 digest, not 'abc'"),
    ({"state": "absent", "url": "https://host/a.iso"}, "url cannot be used with state=absent"),
    ({"url": "https://host/a.iso", "keep_alive_interval": 61},
     "keep_alive_interval must be more than 0 and at most 60 seconds"),
    ({"url": "https://host/a.iso", "name": "  "}, "name must not be empty"),
])
def test_bad_options_fail_before_any_request(trusted_simulator, options, message):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    result = run(sim, session_id, **options)
    assert result["failed"] is True
    assert result["msg"] == message
    assert sim.requests == []


def test_src_and_url_together_are_refused(trusted_simulator, tmp_path):
    result = run(trusted_simulator, "s", src=str(make_file(tmp_path, size=1)), url="https://host/a")
    assert result["failed"] is True and "mutually exclusive" in result["msg"]
    assert trusted_simulator.requests == []


def test_a_failed_keep_alive_is_a_warning_not_a_failure(trusted_simulator, tmp_path):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    sim.inject_fault(path=r"/cls/data/", stall=0.6, stall_after=1024 * 1024, times=1)
    sim.inject_fault(method="POST", path=r"update-session/[^/]+$", status=500, times=-1,
                     body=b'{"error_type": "ERROR", "messages": []}', content_type="application/json")
    result = run(sim, session_id, src=str(make_file(tmp_path, size=16 * 1024 * 1024)), keep_alive_interval=0.1,
                 retries=0)
    assert result["changed"] is True and result["file"]["status"] == "READY"
    assert any("keep-alive of update session %s failed" % session_id in text for text in warning_texts(result))
