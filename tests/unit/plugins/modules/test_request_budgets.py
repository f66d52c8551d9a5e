# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The request budget of a task, read from the simulator's request log: with a fresh login and with a reused token.

| scenario              | fresh login                     | reused token |
|-----------------------|---------------------------------|--------------|
| unchanged             | login, GET, logout              | GET          |
| changed               | login, GET, PATCH, GET, logout  | GET, PATCH, GET |
| info for one session  | login, GET, logout              | GET          |

Check mode never sends a write.
"""

import pytest

from ansible_collections.vsphere.content.plugins.modules import (
    content_library_update_session,
    content_library_update_session_info,
)
from helpers import api_session_token, connection_args, run_module, writes

SELF_SIGNED = [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]
NOT_IGNORED = [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": False}]

SCENARIOS = {
    "unchanged": (content_library_update_session, {"warning_behavior": SELF_SIGNED},
                  ["get_session"]),
    "changed": (content_library_update_session, {"warning_behavior": NOT_IGNORED},
                ["get_session", "update_session", "get_session"]),
    "info for one session": (content_library_update_session_info, {},
                             ["get_session"]),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("reuse", [False, True], ids=["fresh login", "reused token"])
def test_request_budget(trusted_simulator, scenario, reuse):
    sim = trusted_simulator
    module, options, calls = SCENARIOS[scenario]
    session_id = sim.state.add_update_session(warning_behavior=SELF_SIGNED)
    args = connection_args(sim, update_session_id=session_id, **options)
    if reuse:
        args.update(session_token=api_session_token(sim), username=None, password=None)
        expected = calls
    else:
        expected = ["login"] + calls + ["logout"]
    sim.clear_log()
    result = run_module(module.main, args)
    assert "failed" not in result, result
    assert [entry["route"] for entry in sim.requests] == expected
    assert len({entry["connection"] for entry in sim.requests}) == 1, "one TCP connection per task"


@pytest.mark.parametrize("options", [
    {"warning_behavior": NOT_IGNORED},
    {"state": "completed"},
    {"state": "canceled"},
    {"state": "failed", "client_error_message": "x"},
    {"state": "absent"},
    {"keep_alive": True},
    {"ignore_preview_warnings": True},
])
def test_check_mode_never_sends_a_write(trusted_simulator, options):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=SELF_SIGNED, preview_warnings=["EXPIRED_CERTIFICATE"])
    args = dict(hostname=sim.host, port=sim.port, session_token=api_session_token(sim), update_session_id=session_id,
                **options)
    sim.clear_log()
    result = run_module(content_library_update_session.main, args, check_mode=True)
    assert result["changed"] is True
    assert writes(sim) == [] and [entry["method"] for entry in sim.requests] == ["GET"]
