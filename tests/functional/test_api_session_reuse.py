# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The documented reuse pattern through real ansible-playbook: one login and one logout for a whole play."""

import pytest

import dev
from helpers import USERNAME, assert_logged_out, play, run_playbook, task

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

EXAMPLE = dev.ROOT / "docs" / "examples" / "reuse-api-session.yml"


def test_one_login_for_a_whole_play(trusted_simulator, tmp_path):
    sim = trusted_simulator
    ids = [sim.state.add_update_session() for _session in range(5)]
    run = run_playbook(sim, EXAMPLE, tmp_path, {"update_session_ids": ids}, args=["-vvvv"])
    assert run.returncode == 0, run.output
    routes = [entry["route"] for entry in sim.requests]
    assert routes.count("login") == 1 and routes.count("logout") == 1
    assert routes == ["login"] + ["get_session", "update_session", "get_session"] * 5 + \
        ["list_sessions"] + ["get_session"] * 5 + ["logout"]
    assert all(sim.state.update_sessions[i]["warning_behavior"] for i in ids)
    assert len(run["Read the ACTIVE sessions back"]["update_sessions"]) == 5
    (token,) = sim.state.issued_tokens
    assert token not in run.output and token not in str(run.results), "the token never prints, even at -vvvv"
    assert "censored" in run["Log in once"] and "session_token" not in run["Log in once"]
    assert_logged_out(sim)


def test_logs_out_even_when_a_task_fails(trusted_simulator, tmp_path):
    sim = trusted_simulator
    run = run_playbook(sim, EXAMPLE, tmp_path, {"update_session_ids": ["no-such-session"]})
    assert run.returncode == 2
    assert run.status("Log out") == "ok"
    assert [entry["route"] for entry in sim.requests] == ["login", "get_session", "logout"]
    assert_logged_out(sim)


def test_admin_reaches_the_module_through_its_action_plugin(trusted_simulator, tmp_path):
    """``admin``, vmware.vmware's alias of username, set in module_defaults as a play would share it."""
    sim = trusted_simulator
    plays = play(task("Log in as admin", module="api_session"))
    plays[0]["module_defaults"] = {"group/vsphere.content.vsphere": {"admin": USERNAME}}
    run = run_playbook(sim, plays, tmp_path, unset=("VMWARE_USER",))
    assert run.returncode == 0, run.output
    assert list(sim.active_tokens.values()) == [USERNAME]
