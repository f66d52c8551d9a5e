# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The password, the basic-auth header and every session token never show: not in results, warnings,
exceptions, -vvvv output, logs, or any file a run leaves behind, even when vCenter echoes them."""

import base64
import json
import os

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.errors import VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from helpers import connection_args, run_module, run_playbook

PLAYBOOK = os.path.join(os.path.dirname(__file__), "playbooks", "secrets.yml")
USER = "leak-tester@vsphere.local"
PASSWORD = "Distinct-Pa55word-4-leak-test"
WRONG_PASSWORD = "Another-Pa55word-never-shown"
SESSION_PATH = "^/api/session$"
SELF_SIGNED = {"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}


def basic_auth(password):
    return base64.b64encode(("%s:%s" % (USER, password)).encode()).decode()


def echo(headers):
    """What a careless proxy or server answers: the credentials it got, and the password for good measure."""
    return "<html><body>%s %s password=%s</body></html>" % (
        headers.get("Authorization", ""), headers.get("vmware-api-session-id", ""), PASSWORD)


def provoke(sim):
    """Sessions and faults that make the simulator echo each secret into a different kind of answer.

    Runs in order: login error, 502 after retries, re-login, non-JSON success body, a failing
    logout (the 4th logout of the run), and a refused password.
    """
    sim.state.users[USER] = PASSWORD
    ids = [sim.state.add_update_session("secret-%d" % number) for number in range(6)]
    sim.inject_fault(method="POST", path=SESSION_PATH, status=500, body=echo)
    sim.inject_fault(method="GET", path=ids[1] + "$", status=502, body=echo, times=-1)
    sim.inject_fault(method="PATCH", path=ids[2] + "$", expire_session=True)
    sim.inject_fault(method="GET", path=ids[3] + "$", status=200, body=echo)
    sim.inject_fault(method="DELETE", path=SESSION_PATH, status=500, body=echo, after=4)
    return [{"id": ids[0]}, {"id": ids[1]}, {"id": ids[2]}, {"id": ids[3]}, {"id": ids[4]},
            {"id": ids[5], "password": WRONG_PASSWORD}]


def secrets(sim):
    return [PASSWORD, WRONG_PASSWORD, basic_auth(PASSWORD), basic_auth(WRONG_PASSWORD)] + list(sim.state.issued_tokens)


def assert_no_secret(figures, sim, places):
    """``places``: (name, text) pairs."""
    found = [(name, secret) for name, text in places for secret in secrets(sim) if secret in text]
    figures.add("secrets", "secrets.places", len(places))
    figures.add("secrets", "secrets.found", len(found))
    assert found == []


def test_in_process_results_warnings_and_exceptions(trusted_simulator, figures):
    sim = trusted_simulator
    places = []
    for item in provoke(sim):
        args = connection_args(sim, username=USER, password=item.get("password", PASSWORD), retry_backoff=0,
                               update_session_id=item["id"], warning_behavior=[SELF_SIGNED])
        result = run_module(main, args, diff=True)
        places.append(("result of %s" % item["id"], json.dumps(result)))
    for fault in (dict(method="GET", status=500, body=echo), dict(method="GET", status=200, body=echo)):
        sim.inject_fault(path="update-session", **fault)
        with pytest.raises(VSphereContentError) as error:
            with VSphereClient(**connection_args(sim, username=USER, password=PASSWORD)) as client:
                client.request("GET", "/api/content/library/item/update-session", "list update sessions")
        places += [("str", str(error.value)), ("repr", repr(error.value)),
                   ("fail_json", json.dumps(error.value.to_fail_json())), ("args", repr(error.value.args))]
    results = "\n".join(text for _name, text in places)
    assert "Basic ********" in results and "password=********" in results, "the echoes did come back, redacted"
    assert_no_secret(figures, sim, places)


def test_vvvv_output_logs_and_files(trusted_simulator, figures, tmp_path):
    sim = trusted_simulator
    sessions = provoke(sim)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home), "ANSIBLE_LOG_PATH": str(tmp_path / "ansible.log"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "local-tmp"), "ANSIBLE_REMOTE_TMP": str(tmp_path / "remote-tmp"),
        "VMWARE_USER": USER, "VMWARE_PASSWORD": PASSWORD, "ANSIBLE_KEEP_REMOTE_FILES": "0",
    }
    extra_vars = {"session_ids": [item["id"] for item in sessions[:5]], "refused_session_id": sessions[5]["id"],
                  "vcenter_password": PASSWORD, "wrong_password": WRONG_PASSWORD}
    run = run_playbook(sim, PLAYBOOK, tmp_path, extra_vars, args=["-vvvv", "--diff"], env=env)
    items = run.results[0]["result"]["results"] + [run.results[1]["result"]]
    messages = [item.get("msg", "") for item in items]
    assert messages[0].startswith("log in failed: HTTP 500 from 127.0.0.1:%d (non-JSON response: " % sim.port)
    assert messages[1].startswith("get update session secret-1 failed: HTTP 502 from 127.0.0.1:%d after 4" % sim.port)
    assert items[2]["changed"] is True, "logged in again after the session expired"
    assert messages[3].startswith("get update session secret-3 failed: HTTP 200 from")
    assert items[4]["changed"] is True and "log out failed: HTTP 500" in run.output
    assert messages[5] == "authentication failed for user %s at 127.0.0.1:%d" % (USER, sim.port)
    assert len(sim.state.issued_tokens) == 5
    places = [("ansible-playbook stdout and stderr", run.output), ("recorded results", json.dumps(run.results))]
    for root, _dirs, files in os.walk(str(tmp_path)):
        for name in files:
            path = os.path.join(root, name)
            if name == "vars.json":
                continue  # the test's own input to ansible-playbook
            with open(path, "rb") as handle:
                places.append((path, handle.read().decode("utf-8", "replace")))
    assert any(name.endswith("ansible.log") for name, _text in places)
    assert_no_secret(figures, sim, places)
