# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item's check mode claims no more than the run would do: an item with an ACTIVE update session
fails as the run would, a signed package that the warning policy may refuse comes with a warning, and
state=absent names the item it would delete. Warning types match regardless of case."""

from ansible_collections.vsphere.content.plugins.modules.content_library_item import main
from helpers import connection_args, run_module, warning_texts
from ovf_package import make_ovf_package


def run(sim, check_mode=False, **options):
    return run_module(main, connection_args(sim, **options), check_mode=check_mode)


def test_check_mode_fails_as_the_run_would_on_an_item_with_an_active_session(trusted_simulator, tmp_path):
    sim = trusted_simulator
    item_id = sim.state.add_library_item(library_id="library-1", name="notes")
    busy = sim.state.add_update_session(library_item_id=item_id)
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"new notes")

    predicted = run(sim, check_mode=True, library_id="library-1", name="notes", src=str(notes))
    real = run(sim, library_id="library-1", name="notes", src=str(notes))

    assert predicted["failed"] is True and predicted["msg"] == real["msg"]
    assert predicted["msg"].startswith("library item %s already has an ACTIVE update session (%s)" % (item_id, busy))


def test_check_mode_warns_that_the_preview_may_refuse_a_signed_package(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    package = make_ovf_package(tmp_path)
    args = dict(library_id="library-1", name="photon", src=str(package.ovf))

    policy = run(sim, check_mode=True, warning_behavior=[{"type": "SELF_SIGNED_CERTIFICATE"}], **args)
    everything = run(sim, check_mode=True, ignore_preview_warnings=True, **args)
    all_but_expired = run(sim, check_mode=True, ignore_preview_warnings=True,
                          warning_behavior=[{"type": "EXPIRED_CERTIFICATE", "ignored": False}], **args)
    unsigned = run(sim, check_mode=True, library_id="library-1", name="plain",
                   src=str(make_ovf_package(tmp_path / "plain", signer=None).ovf))

    assert policy["changed"] is True
    assert warning_texts(policy) == [
        "check mode cannot know what vCenter's preview of the signed package will raise; the run fails if it raises "
        "a warning the task does not ignore (EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE, UNTRUSTED_CERTIFICATE)"]
    assert warning_texts(all_but_expired) == [
        "check mode cannot know what vCenter's preview of the signed package will raise; the run fails if it raises "
        "a warning the task does not ignore (EXPIRED_CERTIFICATE)"]
    assert warning_texts(everything) == [] and warning_texts(unsigned) == []


def test_absent_names_the_item_it_deletes_or_in_check_mode_would(trusted_simulator):
    sim = trusted_simulator
    item_id = sim.state.add_library_item(library_id="library-1", name="old", files=[{"name": "a.iso", "content": "a"}])

    predicted = run(sim, check_mode=True, library_id="library-1", name="old", state="absent")
    deleted = run(sim, library_id="library-1", name="old", state="absent")
    again = run(sim, library_id="library-1", name="old", state="absent")

    assert predicted["changed"] is True and predicted["library_item"]["id"] == item_id
    assert [entry["name"] for entry in predicted["library_item"]["files"]] == ["a.iso"]
    assert deleted["library_item"] == predicted["library_item"] and item_id not in sim.state.items
    assert again["changed"] is False and "library_item" not in again


def test_warning_types_match_regardless_of_case(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("library-1")
    package = make_ovf_package(tmp_path)
    sim.state.trusted_roots.append(package.cert_pem)

    result = run(sim, library_id="library-1", name="photon", src=str(package.ovf),
                 warning_behavior=[{"type": " self_signed_Certificate "}])

    assert result["changed"] is True, result
    (created,) = [entry for entry in sim.requests if entry["route"] == "create_session"]
    assert created["body"]["warning_behavior"] == [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]
