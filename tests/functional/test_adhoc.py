# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Ad-hoc use: `ansible localhost -m vsphere.content.<module> -a '<json>'` against the simulator."""

import json
import re
import subprocess

import dev
from helpers import assert_saw, vmware_env

MODULE = "vsphere.content.content_library_update_session"
SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}
UNTRUSTED = {"type": "UNTRUSTED_CERTIFICATE", "ignored": True}


def adhoc(simulator, module_args, *options):
    """Run the module ad hoc; return the exit code, the status and result it shows, and all its output."""
    env = dev.ansible_env(**vmware_env(simulator))
    env.pop("CURL_CA_BUNDLE", None)
    process = subprocess.run([str(dev.venv_bin("ansible")), "localhost", "-m", MODULE, "-a", json.dumps(module_args)]
                             + list(options), env=env, capture_output=True, text=True, timeout=300, check=False)
    # The default ad-hoc output: "localhost | CHANGED => {...}", the result as indented JSON.
    match = re.search(r"^localhost \| ([A-Z]+)!? => (\{.*?^\})$", process.stdout, re.MULTILINE | re.DOTALL)
    assert match, process.stdout + process.stderr
    return process.returncode, match.group(1), json.loads(match.group(2)), process.stdout + process.stderr


def test_adhoc_changes_then_reports_ok(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=[UNTRUSTED])
    args = {"update_session_id": session_id, "warning_behavior": [{"type": "SELF_SIGNED_CERTIFICATE"}]}

    returncode, status, result, _output = adhoc(sim, args)
    assert (returncode, status, result["changed"]) == (0, "CHANGED", True), result
    assert result["update_session"]["warning_behavior"] == [SELF_SIGNED, UNTRUSTED]
    assert sim.state.update_sessions[session_id]["warning_behavior"] == [SELF_SIGNED, UNTRUSTED]
    assert_saw(sim, patches=1)

    sim.clear_log()
    returncode, status, result, _output = adhoc(sim, args)
    assert (returncode, status, result["changed"]) == (0, "SUCCESS", False), result
    assert_saw(sim, patches=0)


def test_adhoc_check_mode_with_diff(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=[SELF_SIGNED])
    args = {"update_session_id": session_id, "warning_behavior": [UNTRUSTED], "purge_warning_behavior": True}
    returncode, status, result, output = adhoc(sim, args, "--check", "--diff")
    assert (returncode, status, result["changed"]) == (0, "CHANGED", True), result
    assert result["update_session"]["warning_behavior"] == [UNTRUSTED]
    assert "--- before: update session %s" % session_id in output
    assert sim.state.update_sessions[session_id]["warning_behavior"] == [SELF_SIGNED]
    assert_saw(sim, patches=0)


def test_adhoc_failure_is_one_clear_message(trusted_simulator):
    args = {"update_session_id": "no-such-session", "warning_behavior": [{"type": "SELF_SIGNED_CERTIFICATE"}]}
    returncode, status, result, output = adhoc(trusted_simulator, args)
    assert (returncode, status) == (2, "FAILED")
    assert result["msg"] == "update session no-such-session not found"
    assert "Traceback" not in output and "exception" not in result
