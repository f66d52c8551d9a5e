# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client with a session_token: it neither logs in nor logs out, and falls back to a login only when it may."""

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.errors import AuthenticationError, InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.session_calls import get_update_session
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
from helpers import PASSWORD, USERNAME, api_session_token, routes


@pytest.fixture
def token(trusted_simulator):
    token = api_session_token(trusted_simulator)
    trusted_simulator.clear_log()
    return token


def test_a_token_is_used_as_it_is(trusted_simulator, token):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    with VSphereClient(sim.host, port=sim.port, session_token=token) as client:
        assert get_update_session(client, session_id)["id"] == session_id
    assert routes(sim) == ["get_session"]
    assert token in sim.active_tokens, "the caller's session stays logged in"


def test_a_rejected_token_with_credentials_logs_in_once_and_logs_that_session_out(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    with VSphereClient(sim.host, USERNAME, PASSWORD, port=sim.port, session_token="expired-token") as client:
        get_update_session(client, session_id)
        get_update_session(client, session_id)
    assert routes(sim) == ["get_session", "login", "get_session", "get_session", "logout"]
    assert sim.active_tokens == {}


def test_a_rejected_token_without_credentials_fails_clearly(trusted_simulator):
    sim = trusted_simulator
    with pytest.raises(AuthenticationError) as error:
        with VSphereClient(sim.host, port=sim.port, session_token="expired-token") as client:
            get_update_session(client, "any")
    assert error.value.msg == ("get update session any failed: session token rejected by 127.0.0.1:%d (HTTP 401); "
                               "log in again, or give username and password" % sim.port)
    assert routes(sim) == ["get_session"]
    assert "expired-token" not in str(error.value.to_fail_json())


@pytest.mark.parametrize("kwargs, message", [
    ({}, "username and password are required unless session_token is given"),
    ({"username": USERNAME}, "username and password are required unless session_token is given"),
    ({"session_token": "two\nlines"}, "session_token is not an API session token"),
])
def test_unusable_credentials_are_refused_before_any_request(trusted_simulator, kwargs, message):
    with pytest.raises(InvalidOptionError) as error:
        VSphereClient(trusted_simulator.host, port=trusted_simulator.port, **kwargs)
    assert error.value.msg == message
    assert trusted_simulator.requests == []
