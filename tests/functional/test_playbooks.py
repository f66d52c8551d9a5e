# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real ansible-playbook runs against the simulator over HTTPS.

Each test asserts what the simulator saw: no PATCH on unchanged or failing
runs, exactly one on a change, and every login logged out.
"""

import base64
import json

import pytest
import trustme

from helpers import PASSWORD, USERNAME, assert_saw

SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}
UNTRUSTED = {"type": "UNTRUSTED_CERTIFICATE", "ignored": True}
EXPIRED_NOT_IGNORED = {"type": "EXPIRED_CERTIFICATE", "ignored": False}


def test_first_run_changes_second_is_ok(playbook, trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session()
    first = playbook("update_session.yml", {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED, UNTRUSTED]})
    assert first.returncode == 0, first.output
    assert first.task["changed"] is True
    assert_saw(sim, patches=1)
    sim.clear_log()
    second = playbook("update_session.yml", {"update_session_id": session_id, "warning_behavior": [UNTRUSTED, SELF_SIGNED]})
    assert second.returncode == 0, second.output
    assert second.task["changed"] is False
    assert_saw(sim, patches=0)


def test_order_does_not_matter(playbook, trusted_simulator):
    session_id = trusted_simulator.state.add_update_session(warning_behavior=[UNTRUSTED, EXPIRED_NOT_IGNORED, SELF_SIGNED])
    run = playbook("update_session.yml", {"update_session_id": session_id,
                                          "warning_behavior": [SELF_SIGNED, UNTRUSTED, EXPIRED_NOT_IGNORED]})
    assert run.task["changed"] is False, run.output
    assert_saw(trusted_simulator, patches=0)


def test_ignored_defaults_to_true(playbook, trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    run = playbook("update_session.yml", {"update_session_id": session_id,
                                          "warning_behavior": [{"type": "EXPIRED_CERTIFICATE"}]})
    assert run.task["changed"] is True, run.output
    assert trusted_simulator.state.update_sessions[session_id]["warning_behavior"] == [
        {"type": "EXPIRED_CERTIFICATE", "ignored": True}
    ]
    assert_saw(trusted_simulator, patches=1)


def test_check_mode_predicts_and_changes_nothing(playbook, trusted_simulator):
    session_id = trusted_simulator.state.add_update_session(warning_behavior=[UNTRUSTED])
    run = playbook("update_session.yml", {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED]},
                   args=["--check"])
    assert run.task["changed"] is True, run.output
    assert run.task["update_session"]["warning_behavior"] == [SELF_SIGNED, UNTRUSTED]
    assert trusted_simulator.state.update_sessions[session_id]["warning_behavior"] == [UNTRUSTED]
    assert_saw(trusted_simulator, patches=0)


def test_diff_renders_before_and_after(playbook, trusted_simulator):
    session_id = trusted_simulator.state.add_update_session(warning_behavior=[SELF_SIGNED])
    run = playbook("update_session.yml",
                   {"update_session_id": session_id, "warning_behavior": [dict(SELF_SIGNED, ignored=False)]},
                   args=["--diff"])
    assert run.returncode == 0, run.output
    assert "--- before: update session %s" % session_id in run.output
    assert "+++ after: update session %s" % session_id in run.output
    changed_lines = [line for line in run.output.splitlines() if line[:1] in "+-" and "ignored" in line]
    assert [line.replace(" ", "") for line in changed_lines] == ['-"ignored":true,', '+"ignored":false,']
    assert_saw(trusted_simulator, patches=1)


def test_merge_then_purge(playbook, trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=[EXPIRED_NOT_IGNORED])
    merged = playbook("update_session.yml", {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED]})
    assert merged.task["update_session"]["warning_behavior"] == [EXPIRED_NOT_IGNORED, SELF_SIGNED], merged.output
    assert_saw(sim, patches=1)
    sim.clear_log()
    purged = playbook("update_session.yml",
                      {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED], "purge": True})
    assert purged.task["changed"] is True, purged.output
    assert sim.state.update_sessions[session_id]["warning_behavior"] == [SELF_SIGNED]
    assert_saw(sim, patches=1)


def test_non_active_session(playbook, trusted_simulator):
    sim = trusted_simulator
    done = sim.state.add_update_session(state="DONE", warning_behavior=[SELF_SIGNED])
    unchanged = playbook("update_session.yml", {"update_session_id": done, "warning_behavior": [SELF_SIGNED]})
    assert unchanged.returncode == 0 and unchanged.task["changed"] is False, unchanged.output
    change = playbook("update_session.yml", {"update_session_id": done, "warning_behavior": [UNTRUSTED]})
    assert change.returncode == 2
    assert change.task["msg"] == "update session %s is DONE; only ACTIVE sessions can be updated" % done
    assert_saw(sim, patches=0)


def test_unknown_session(playbook, trusted_simulator):
    run = playbook("update_session.yml", {"update_session_id": "no-such-session", "warning_behavior": [SELF_SIGNED]})
    assert run.returncode == 2
    assert run.task["msg"] == "update session no-such-session not found"
    assert_saw(trusted_simulator, patches=0)


def test_bad_credentials(playbook, trusted_simulator):
    run = playbook("update_session.yml", {"update_session_id": "any", "warning_behavior": [SELF_SIGNED]},
                   env={"VMWARE_PASSWORD": "wrong-password"})
    assert run.returncode == 2
    assert run.task["msg"] == "authentication failed for user %s at 127.0.0.1:%d" % (USERNAME, trusted_simulator.port)
    assert "wrong-password" not in run.output
    assert [e["route"] for e in trusted_simulator.requests] == ["login"]
    assert_saw(trusted_simulator, patches=0)


@pytest.mark.parametrize("warning_behavior, message", [
    ([{"type": "BOGUS_CERTIFICATE"}], "warning_behavior type 'BOGUS_CERTIFICATE' is not one of"),
    ([SELF_SIGNED, dict(SELF_SIGNED, ignored=False)], "lists SELF_SIGNED_CERTIFICATE more than once with conflicting"),
])
def test_invalid_options_send_no_request(playbook, trusted_simulator, warning_behavior, message):
    run = playbook("update_session.yml", {"update_session_id": "any", "warning_behavior": warning_behavior})
    assert run.returncode == 2
    assert message in run.task["msg"]
    assert "Traceback" not in run.output
    assert trusted_simulator.requests == []


def test_id_with_dot_dot_slash(playbook, trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session("../../session")
    run = playbook("update_session.yml", {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED]})
    assert run.task["changed"] is True, run.output
    api_calls = [e for e in sim.requests if e["route"] not in ("login", "logout")]
    assert {e["path"] for e in api_calls} == {"/api/content/library/item/update-session/..%2F..%2Fsession"}
    assert_saw(sim, patches=1)


def test_credentials_only_from_environment(playbook, trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    run = playbook("update_session.yml", {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED]},
                   env={"VMWARE_VALIDATE_CERTS": "yes"})
    assert run.task["changed"] is True, run.output
    assert run.task["invocation"]["module_args"]["hostname"] == "127.0.0.1"
    assert_saw(trusted_simulator, patches=1)


def test_module_defaults_action_group(playbook, trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    run = playbook(
        "module_defaults.yml",
        {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED], "vcenter_hostname": "127.0.0.1",
         "vcenter_port": trusted_simulator.port, "vcenter_username": USERNAME, "vcenter_password": PASSWORD},
        unset=("VMWARE_HOST", "VMWARE_PORT", "VMWARE_USER", "VMWARE_PASSWORD"),
    )
    assert run.task["changed"] is True, run.output
    # The group extends vmware.vmware's, which is not installed here: ansible-core says nothing about it.
    assert "vmware.vmware" not in run.output and "WARNING" not in run.output, run.output
    assert_saw(trusted_simulator, patches=1)


def test_default_validate_certs_rejects_an_untrusted_certificate(playbook, trusted_simulator):
    run = playbook("update_session.yml", {"update_session_id": "any", "warning_behavior": [SELF_SIGNED]},
                   unset=("REQUESTS_CA_BUNDLE",))
    assert run.returncode == 2
    assert run.task["msg"].startswith("TLS certificate verification failed for 127.0.0.1:%d" % trusted_simulator.port)
    assert "validate_certs: false" in run.task["msg"]
    assert trusted_simulator.requests == []


def test_validate_certs_false_wins_over_requests_ca_bundle(playbook, trusted_simulator, tmp_path):
    session_id = trusted_simulator.state.add_update_session()
    other_ca = str(tmp_path / "unrelated-ca.pem")
    trustme.CA().cert_pem.write_to_path(other_ca)
    run = playbook("update_session.yml",
                   {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED], "validate_certs": False},
                   env={"REQUESTS_CA_BUNDLE": other_ca, "CURL_CA_BUNDLE": other_ca})
    assert run.task["changed"] is True, run.output
    assert_saw(trusted_simulator, patches=1)


def test_validate_certs_true_with_the_simulator_ca_trusted(playbook, trusted_simulator):
    session_id = trusted_simulator.state.add_update_session()
    run = playbook("update_session.yml",
                   {"update_session_id": session_id, "warning_behavior": [SELF_SIGNED], "validate_certs": True})
    assert run.task["changed"] is True, run.output
    assert_saw(trusted_simulator, patches=1)


def test_no_secret_in_vvv_output(playbook, trusted_simulator):
    sim = trusted_simulator
    password = "Distinct-Pa55word-4-leak-test"
    sim.state.users["leak-tester@vsphere.local"] = password
    session_id = sim.state.add_update_session()
    env = {"VMWARE_USER": "leak-tester@vsphere.local", "VMWARE_PASSWORD": password}
    outputs = []
    for update_session_id in (session_id, "no-such-session"):
        run = playbook("update_session.yml", {"update_session_id": update_session_id, "warning_behavior": [SELF_SIGNED],
                                              "vcenter_password": password}, args=["-vvv", "--diff"], env=env)
        outputs.append(run.output)
        outputs.append(json.dumps(run.results))
    issued = sim.state.issued_tokens
    assert len(issued) == 2
    basic_auth = base64.b64encode(("leak-tester@vsphere.local:" + password).encode()).decode()
    for text in outputs:
        assert password not in text and basic_auth not in text
        for token in issued:
            assert token not in text
    assert "update session no-such-session not found" in outputs[2]
    assert_saw(sim, patches=1)
