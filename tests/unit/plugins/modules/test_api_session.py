# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""api_session: log in once and hand the token on; log it out again. Real module code, real simulator."""

import pytest

from ansible_collections.vsphere.content.plugins.modules.api_session import main
from helpers import PASSWORD, USERNAME, connection_args, routes, run_module


@pytest.mark.parametrize("check_mode", [False, True])
def test_present_logs_in_and_leaves_the_session_logged_in(trusted_simulator, check_mode):
    """Also in check mode: a login changes nothing on vCenter, and later tasks need the token."""
    sim = trusted_simulator
    result = run_module(main, connection_args(sim), check_mode=check_mode)
    token = result["session_token"]
    assert result["changed"] is False
    assert sim.active_tokens == {token: connection_args(sim)["username"]}
    assert routes(sim) == ["login"]


def test_admin_is_an_alias_of_username(trusted_simulator):
    """As in vmware.vmware, so that one module_defaults block serves both collections."""
    sim = trusted_simulator
    args = dict(hostname=sim.host, port=sim.port, admin=USERNAME, password=PASSWORD)
    token = run_module(main, args)["session_token"]
    assert sim.active_tokens == {token: USERNAME}


def test_present_ignores_a_token_from_module_defaults(trusted_simulator):
    sim = trusted_simulator
    old = run_module(main, connection_args(sim))["session_token"]
    new = run_module(main, connection_args(sim, session_token=old))["session_token"]
    assert new != old and set(sim.active_tokens) == {old, new}


def test_absent_logs_out_and_is_idempotent(trusted_simulator):
    sim = trusted_simulator
    token = run_module(main, connection_args(sim))["session_token"]
    sim.clear_log()
    predicted = run_module(main, connection_args(sim, session_token=token, state="absent"), check_mode=True)
    assert predicted["changed"] is True and token in sim.active_tokens
    assert routes(sim) == ["session_info"]
    first = run_module(main, dict(hostname=sim.host, port=sim.port, session_token=token, state="absent"))
    assert first["changed"] is True and sim.active_tokens == {}
    again = run_module(main, dict(hostname=sim.host, port=sim.port, session_token=token, state="absent"))
    assert again["changed"] is False
    assert routes(sim) == ["session_info", "logout", "logout"], "never a login to log a token out"


@pytest.mark.parametrize("options, message", [
    ({"state": "absent"}, "state is absent but all of the following are missing: session_token"),
    ({"session_token": "not a\ttoken", "state": "absent"}, "session_token is not an API session token"),
])
def test_unusable_options_send_nothing(trusted_simulator, options, message):
    result = run_module(main, connection_args(trusted_simulator, **options))
    assert result["failed"] is True and message in result["msg"]
    assert trusted_simulator.requests == []


def test_every_module_takes_the_token_from_vmware_session_token(trusted_simulator, monkeypatch):
    from ansible_collections.vsphere.content.plugins.modules import content_library_update_session_info

    sim = trusted_simulator
    monkeypatch.setenv("VMWARE_SESSION_TOKEN", run_module(main, connection_args(sim))["session_token"])
    sim.clear_log()
    result = run_module(content_library_update_session_info.main, dict(hostname=sim.host, port=sim.port))
    assert result["update_sessions"] == []
    assert routes(sim) == ["list_sessions"]
