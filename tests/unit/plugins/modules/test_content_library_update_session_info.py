# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_update_session_info: the real module against the simulator."""

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_update_session_info import main
from helpers import assert_logged_out, connection_args, run_module, writes


def info(simulator, check_mode=False, **options):
    return run_module(main, connection_args(simulator, **options), check_mode=check_mode)


@pytest.fixture
def sessions(trusted_simulator):
    state = trusted_simulator.state
    item = state.add_library_item(preview_warnings=["SELF_SIGNED_CERTIFICATE"], signed=True)
    other_item = state.add_library_item()
    return {
        "item": item,
        "other_item": other_item,
        "active": state.add_update_session(library_item_id=item),
        "done": state.add_update_session(library_item_id=item, state="DONE"),
        "error": state.add_update_session(
            library_item_id=other_item, state="ERROR",
            error_message={"id": "client.error", "default_message": "download failed", "args": []}),
    }


def test_lists_every_session_of_the_user_with_full_models(trusted_simulator, sessions):
    sim = trusted_simulator
    sim.state.add_update_session(owner="someone-else@vsphere.local")
    result = info(sim)
    assert result["changed"] is False
    found = result["update_sessions"]
    assert [s["id"] for s in found] == sorted([sessions["active"], sessions["done"], sessions["error"]])
    by_id = {s["id"]: s for s in found}
    active = by_id[sessions["active"]]
    preview = active["preview_info"]
    assert preview["state"] == "AVAILABLE"
    assert preview["warnings"][0]["type"] == "SELF_SIGNED_CERTIFICATE"
    assert preview["warnings"][0]["ignored"] is False
    assert preview["warnings"][0]["message"]["default_message"]
    assert preview["certificate_info"]["self_signed"] is True
    assert preview["certificate_info"]["x509"].startswith("-----BEGIN CERTIFICATE-----")
    assert {"state", "client_progress", "expiration_time", "library_item_id"} <= set(active)
    assert "preview_info" not in by_id[sessions["done"]]
    assert by_id[sessions["error"]]["error_message"]["default_message"] == "download failed"
    assert writes(sim) == []
    assert_logged_out(sim)


def test_filters_by_library_item_through_the_api(trusted_simulator, sessions):
    sim = trusted_simulator
    result = info(sim, library_item_id=sessions["item"])
    assert [s["id"] for s in result["update_sessions"]] == sorted([sessions["active"], sessions["done"]])
    assert sim.calls("GET", "list_sessions")[0]["query"] == {"library_item_id": sessions["item"]}


def test_filters_by_state(trusted_simulator, sessions):
    result = info(trusted_simulator, state=["DONE", "ERROR"])
    assert sorted(s["id"] for s in result["update_sessions"]) == sorted([sessions["done"], sessions["error"]])


def test_one_session_by_id(trusted_simulator, sessions):
    sim = trusted_simulator
    result = info(sim, update_session_id=sessions["done"])
    assert [s["id"] for s in result["update_sessions"]] == [sessions["done"]]
    assert [e["route"] for e in sim.requests] == ["login", "get_session", "logout"]
    assert info(sim, update_session_id=sessions["done"], library_item_id=sessions["other_item"])["update_sessions"] == []
    assert info(sim, update_session_id=sessions["done"], state=["ACTIVE"])["update_sessions"] == []


@pytest.mark.parametrize("options", [{"update_session_id": "no-such-session"}, {"library_item_id": "no-such-item"}])
def test_unknown_ids_give_an_empty_list(trusted_simulator, options):
    result = info(trusted_simulator, **options)
    # ansible-core 2.20 and later leave "invocation" out of a module's result.
    without_invocation = {key: value for key, value in result.items() if key != "invocation"}
    assert without_invocation == {"changed": False, "update_sessions": []}


def test_runs_the_same_in_check_mode(trusted_simulator, sessions):
    assert len(info(trusted_simulator, check_mode=True)["update_sessions"]) == 3


@pytest.mark.parametrize("options, message", [
    ({"update_session_id": ""}, "update_session_id must not be empty"),
    ({"state": ["FINISHED"]}, "value of state must be one or more of"),
])
def test_unusable_options_fail_before_any_request(trusted_simulator, options, message):
    result = info(trusted_simulator, **options)
    assert result["failed"] is True and message in result["msg"]
    assert trusted_simulator.requests == []
