# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item when things go wrong, and PULL: every failure after the session opened leaves no ACTIVE
session and no empty item behind; bad options send nothing; a lost create answer makes no second item."""

import hashlib

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_item import main
from helpers import assert_logged_out, connection_args, run_module
from ovf_package import make_ovf_package

SELF_SIGNED = [{"type": "SELF_SIGNED_CERTIFICATE"}]


def run(sim, check_mode=False, **options):
    return run_module(main, connection_args(sim, **options), check_mode=check_mode)


def assert_nothing_left(sim, item_ids_before):
    """No update session of any kind survives, and no item was added."""
    assert sim.state.update_sessions == {}, "the session was canceled and deleted"
    assert sorted(sim.state.items) == sorted(item_ids_before), "no empty item is left behind"
    assert_logged_out(sim)


@pytest.fixture
def package(tmp_path):
    return make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 128 << 10})


def ovf_args(tmp_path, **extra):
    return dict(library_id="library-1", name="photon", src=str(tmp_path / "photon.ovf"), **extra)


FAILURES = {
    "an upload": dict(fault=dict(path=r"/cls/data/.*photon-disk1", status=500, times=-1), options=dict(retries=0),
                      message="file photon-disk1.vmdk of update session %s failed: "),
    "the preview": dict(item=dict(preview_delay=30), options=dict(preview_timeout=0.5),
                        message="the preview of update session %s was still PREPARING after 0.5 seconds (preview_timeout)"),
    "a warning not ignored": dict(options={}, message="the preview of update session %s raised SELF_SIGNED_CERTIFICATE "
                                                      "(The certificate of the content is self-signed.), which the task "
                                                      "does not ignore; to accept it, list SELF_SIGNED_CERTIFICATE in "
                                                      "warning_behavior, or set ignore_preview_warnings"),
    "the completion": dict(fault=dict(method="POST", path=r"/update-session/[^/]+$", status=500, times=1,
                                      body=b'{"error_type": "ERROR", "messages": []}', content_type="application/json"),
                           options=dict(retries=0), message="complete update session %s failed"),
}


# The preview's delay is a setting of an existing item, so that failure is shown on one.
CASES = [pytest.param(failure, existing, id="%s, %s" % (failure, "existing item" if existing else "new item"))
         for failure in sorted(FAILURES) for existing in (False, True) if existing or "item" not in FAILURES[failure]]


@pytest.mark.parametrize("failure, existing", CASES)
def test_a_failure_after_the_session_opened_cleans_up(trusted_simulator, tmp_path, package, failure, existing):
    sim = trusted_simulator
    case = FAILURES[failure]
    sim.state.trusted_roots.append(package.cert_pem)
    sim.state.add_library("library-1")
    before = {}
    if existing:
        item_id = sim.state.add_library_item(library_id="library-1", name="photon", type="ovf",
                                             files=[{"name": "photon.ovf", "content": b"<old/>"}], **case.get("item", {}))
        before = dict(sim.state.items[item_id]["files"])
    if case.get("fault"):
        sim.inject_fault(**case["fault"])
    options = dict(case["options"])
    if failure != "a warning not ignored":
        options["warning_behavior"] = SELF_SIGNED

    result = run(sim, **ovf_args(tmp_path, **options))

    assert result["failed"] is True and result["changed"] is False
    session_id = next(entry["path_params"]["update_session_id"] for entry in sim.requests
                      if "update_session_id" in entry["path_params"])
    assert result["msg"].startswith((case["message"] % session_id).split("%s")[0]), result["msg"]
    assert case["message"].split("%s")[-1].split(";")[0] in result["msg"]
    if existing:
        assert result["msg"].endswith("update session %s was canceled and deleted, and library item %s was left as it was"
                                      % (session_id, item_id))
        assert sim.state.items[item_id]["files"] == before
        assert_nothing_left(sim, [item_id])
    else:
        assert len(sim.calls(route="create_item")) == 1
        (deleted,) = sim.calls(route="delete_item")
        assert result["msg"].endswith("and library item %s, which this task created, was deleted"
                                      % deleted["path_params"]["library_item_id"])
        assert_nothing_left(sim, [])
    assert "Traceback" not in result.get("module_stderr", "")


def test_an_item_with_an_active_session_fails_naming_it_and_keeps_it(trusted_simulator, tmp_path):
    sim = trusted_simulator
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"new")
    item_id = sim.state.add_library_item(name="notes", files=[{"name": "notes.txt", "content": b"old"}])
    busy = sim.state.add_update_session(library_item_id=item_id)

    result = run(sim, library_id="library-1", name="notes", src=str(notes))

    assert result["failed"] and result["msg"].startswith(
        "library item %s already has an ACTIVE update session (%s): another upload is running" % (item_id, busy))
    assert sim.state.update_sessions[busy]["state"] == "ACTIVE", "someone else's session is not touched"
    assert sim.calls(route="create_session") == []


def test_a_create_whose_answer_was_lost_is_resent_and_makes_one_item(trusted_simulator, tmp_path):
    sim = trusted_simulator
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"n")
    sim.state.add_library("library-1")
    # after=1 lets the find through: it shares the path of the create.
    sim.inject_fault(method="POST", path=r"^/api/content/library/item$", drop_after=True, times=1, after=1)

    result = run(sim, library_id="library-1", name="notes", src=str(notes), retry_backoff=0)

    assert result["changed"] is True, result
    creates = [entry for entry in sim.requests if entry["path"] == "/api/content/library/item" and entry["method"] == "POST"
               and entry["query"].get("action") is None]
    assert len(creates) == 2 and creates[0]["client_token"] and creates[0]["client_token"] == creates[1]["client_token"]
    assert [item["name"] for item in sim.state.items.values()] == ["notes"]


@pytest.mark.parametrize("options, message", [
    (dict(name="x", library_id="library-1"), "state=present needs exactly one of src, url and src_item"),
    (dict(name="x", src="/no/such/file.iso", library_id="library-1"),
     "src /no/such/file.iso is not a readable file on the host that runs the module"),
    (dict(src="/etc/hostname", library_id="library-1"),
     "name is required (with library_id or library_name) unless library_item_id is given"),
    (dict(name="x", src="/etc/hostname"), "library_id or library_name is required to find the item by name"),
    (dict(name="x", library_item_id="i", src="/etc/hostname"), "parameters are mutually exclusive: library_item_id|name"),
    (dict(name="x", library_id="library-1", url="ftp://host/a.iso"), "url must be an http, https or ds URL, not 'ftp://host/a.iso'"),
    (dict(name="x", library_id="library-1", url="https://host/a.iso", url_thumbprint="SHA1:AB"),
     "url_thumbprint must be the SHA-1 (40 hexadecimal digits) or SHA-256 (64) thumbprint of the server's "
     "certificate, with or without colons, not 'SHA1:AB'"),
    (dict(name="x", library_id="library-1", url="https://host/a.ova", checksum="SHA1:" + "0" * 40),
     "checksum applies only to a url of a single file, not to an OVF template"),
    (dict(name="x", library_id="library-1", url="https://host/a.iso", checksum="CRC:00"),
     "checksum must be ALGORITHM:hex with an algorithm of MD5, SHA1, SHA256, SHA512, not 'CRC:00'"),
    (dict(name="x", library_id="library-1", src="/etc/hostname", type="ovf"),
     "type=ovf does not fit hostname: an OVF template comes from an .ovf or .ova, and only it"),
    (dict(name="x", library_id="library-1", state="absent", src="/etc/hostname"), "src cannot be used with state=absent"),
    (dict(name="x", library_id="library-1", src="/etc/hostname", wait_timeout=-1), "wait_timeout must be a number of seconds, 0 or more"),
    (dict(name="x", library_id="library-1", src="/etc/hostname", checksum="SHA1:" + "0" * 40),
     "checksum applies only with url"),
    (dict(name="x", library_id="library-1", src="/etc/hostname", checksum="SHA1:" + "0" * 40, url_thumbprint="AA"),
     "url_thumbprint and checksum apply only with url"),
    (dict(name="x", library_id="library-1", src="/etc/hostname", warning_behavior=[{"type": "self_signed"}]),
     "warning_behavior type 'self_signed' is not one of: SELF_SIGNED_CERTIFICATE, EXPIRED_CERTIFICATE, "
     "NOT_YET_VALID_CERTIFICATE, UNTRUSTED_CERTIFICATE"),
])
def test_bad_options_fail_in_one_line_and_send_nothing(trusted_simulator, options, message):
    result = run(trusted_simulator, **options)
    assert result["failed"] is True and result["msg"] == message
    assert trusted_simulator.requests == []


def test_a_descriptor_referencing_a_missing_or_outside_file_sends_nothing(trusted_simulator, tmp_path):
    make_ovf_package(tmp_path, signer=None)
    (tmp_path / "photon-disk1.vmdk").unlink()
    missing = run(trusted_simulator, **ovf_args(tmp_path))
    evil = tmp_path / "evil.ovf"
    evil.write_text('<Envelope xmlns:ovf="x"><References><File ovf:href="../secret"/></References></Envelope>')
    outside = run(trusted_simulator, library_id="library-1", name="evil", src=str(evil))

    assert missing["msg"] == "photon.ovf references photon-disk1.vmdk, which is not beside it (%s)" % (
        tmp_path / "photon-disk1.vmdk")
    assert outside["msg"] == "evil.ovf references '../secret', which is not a file name beside it"
    assert trusted_simulator.requests == []


def test_pull_of_an_iso_with_a_checksum_is_idempotent(trusted_simulator, file_source):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    data = b"iso image " * 5000
    url = file_source().add("ubuntu.iso", data)
    args = dict(library_id="library-1", name="ubuntu", url=url, checksum="SHA1:" + hashlib.sha1(data).hexdigest())

    first = run(sim, **args)
    again = run(sim, **args)

    assert first["changed"] is True and first["library_item"]["type"] == "iso"
    assert [entry["body"]["source_type"] for entry in sim.calls(route="add_file")] == ["PULL"]
    assert first["library_item"]["files"][0]["checksum_info"]["checksum"] == hashlib.sha1(data).hexdigest()
    assert again["changed"] is False and len(sim.calls(route="create_session")) == 1


def test_pull_over_https_with_a_sha256_thumbprint_sends_it_normalised(trusted_simulator, file_source):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    source = file_source(tls=True)
    url = source.add("ubuntu.iso", b"iso image " * 100)

    result = run(sim, library_id="library-1", name="ubuntu", url=url,
                 url_thumbprint=source.sha256_thumbprint.replace(":", "").lower())

    assert result["changed"] is True, result
    (add,) = sim.calls(route="add_file")
    assert add["body"]["source_endpoint"] == {"uri": url, "ssl_certificate_thumbprint": source.sha256_thumbprint}


def test_pull_of_an_ovf_brings_its_references_and_completes(trusted_simulator, file_source, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    make_ovf_package(tmp_path, extra_files={"photon.nvram": b"nv"}, signer=None)
    source = file_source()
    for name in ("photon.ovf", "photon-disk1.vmdk", "photon.nvram"):
        url = source.add(name, (tmp_path / name).read_bytes())
    ovf_url = url.rsplit("/", 1)[0] + "/photon.ovf"

    result = run(sim, library_id="library-1", name="photon", url=ovf_url)

    assert result["changed"] is True, result
    files = sim.state.items[result["library_item"]["id"]]["files"]
    assert sorted(files) == ["photon-disk1.vmdk", "photon.nvram", "photon.ovf"]
    assert files["photon-disk1.vmdk"]["checksum_info"]["checksum"] == hashlib.sha1(
        (tmp_path / "photon-disk1.vmdk").read_bytes()).hexdigest()
    assert sim.state.update_sessions[result["update_session_id"]]["state"] == "DONE"


def test_pull_waits_for_a_completion_that_returns_before_the_change_is_visible(trusted_simulator, file_source):
    sim = trusted_simulator
    item_id = sim.state.add_library_item(name="ubuntu", type="iso", completion_delay=0.5,
                                         files=[{"name": "old.iso", "content": b"old"}])
    data = b"new image " * 3000
    url = file_source().add("ubuntu.iso", data)

    result = run(sim, library_id="library-1", name="ubuntu", url=url)

    assert result["changed"] is True and result["changes"]["removed"] == ["old.iso"]
    completed = [index for index, entry in enumerate(sim.requests) if entry["route"] == "complete_session"]
    polls = [entry for entry in sim.requests[completed[0]:] if entry["route"] == "get_session"]
    assert len(polls) >= 2, "it polled the session until it left ACTIVE"
    assert sim.state.update_sessions[result["update_session_id"]]["state"] == "DONE"
    assert dict((name, record["checksum_info"]["checksum"]) for name, record in sim.state.items[item_id]["files"].items()) == {
        "ubuntu.iso": hashlib.sha1(data).hexdigest()}
    assert result["library_item"]["files"][0]["name"] == "ubuntu.iso"
