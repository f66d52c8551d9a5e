# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real ansible-playbook runs with many hosts: a smaller soak with faults, and 8 forks on one session."""

import json
import random
import sys
from pathlib import Path

from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import WARNING_TYPES, as_mapping
from faults_menu import FAULT_KINDS, session_path
from helpers import run_playbook

PLAYBOOK = Path(__file__).resolve().parent / "playbooks" / "every_host.yml"
SEED = 20261128
HOSTS = 12


def write_inventory(path, hosts):
    """A YAML (JSON) inventory of local hosts that run modules with this Python."""
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    path.write_text(json.dumps({"all": {"hosts": {name: dict(local, **host_vars) for name, host_vars in hosts.items()}}}))
    return path


def results_by_host(run):
    return {entry["host"]: entry for entry in run.results}


def per_session_kind(rng, path):
    """A fault kind whose faults all target one session's path, so hosts running at once cannot steal them."""
    while True:
        kind = rng.choices(FAULT_KINDS, weights=[kind.weight for kind in FAULT_KINDS])[0]
        faults = kind.build(rng, path)
        if all(fault.get("path") == path for fault in faults):
            return kind, faults


def test_playbook_soak(trusted_simulator, figures, tmp_path):
    sim = trusted_simulator
    rng = random.Random(SEED)
    hosts, plans = {}, {}
    for number in range(HOSTS):
        session_id = sim.state.add_update_session("playbook-soak-%d" % number)
        requested = {t: rng.random() < 0.7 for t in rng.sample(WARNING_TYPES, rng.randint(1, len(WARNING_TYPES)))}
        kind, faults = per_session_kind(rng, session_path(session_id))
        injected = [sim.inject_fault(**fault) for fault in faults]
        host_vars = {"update_session_id": session_id,
                     "warning_behavior": [{"type": t, "ignored": i} for t, i in requested.items()]}
        if kind.request_timeout:
            host_vars["request_timeout"] = kind.request_timeout
        hosts["host-%02d" % number] = host_vars
        plans["host-%02d" % number] = (session_id, requested, kind, injected)
    inventory = write_inventory(tmp_path / "inventory.json", hosts)
    run = run_playbook(sim, PLAYBOOK, tmp_path, args=["-i", str(inventory), "-f", "4"])
    results = results_by_host(run)
    assert sorted(results) == sorted(hosts), run.output
    assert "Traceback" not in run.output
    survived = failed = 0
    for host, (session_id, requested, kind, injected) in plans.items():
        result = results[host]["result"]
        server = as_mapping(sim.state.update_sessions[session_id]["warning_behavior"])
        triggered = any(fault.applied for fault in injected)
        if kind.survivable or not triggered:
            assert results[host]["status"] == "ok", (host, kind.name, result)
            assert server == requested and as_mapping(result["update_session"]["warning_behavior"]) == requested
            survived += triggered
        else:
            failed += 1
            assert results[host]["status"] == "failed", (host, kind.name, result)
            assert "127.0.0.1:%d" % sim.port in result["msg"] and "\n" not in result["msg"], result["msg"]
    assert sim.active_tokens == {}
    figures.set("playbook_soak", "playbook_soak.runs", HOSTS)
    figures.set("playbook_soak", "playbook_soak.survived", survived)
    figures.set("playbook_soak", "playbook_soak.failed_clearly", failed)
    figures.set("playbook_soak", "playbook_soak.logins", len(sim.state.issued_tokens))
    figures.set("playbook_soak", "playbook_soak.leaked", len(sim.active_tokens))
    figures.set("playbook_soak", "playbook_soak.tracebacks", run.output.count("Traceback"))


def test_eight_forks_update_one_session(trusted_simulator, figures, tmp_path):
    """Consistent means: every task succeeds and reports the requested list, at least one reports a change
    (more may, when several read the old list before any PATCH landed), and a second run changes nothing."""
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=[{"type": "EXPIRED_CERTIFICATE", "ignored": False}])
    requested = [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}, {"type": "UNTRUSTED_CERTIFICATE", "ignored": True}]
    expected = {"EXPIRED_CERTIFICATE": False, "SELF_SIGNED_CERTIFICATE": True, "UNTRUSTED_CERTIFICATE": True}
    hosts = {"fork-%d" % number: {"update_session_id": session_id, "warning_behavior": requested} for number in range(8)}
    inventory = write_inventory(tmp_path / "inventory.json", hosts)
    changed_counts = []
    for _attempt in ("first", "second"):
        run = run_playbook(sim, PLAYBOOK, tmp_path, args=["-i", str(inventory), "-f", "8"])
        assert run.returncode == 0, run.output
        results = results_by_host(run)
        assert sorted(results) == sorted(hosts)
        for entry in results.values():
            assert entry["status"] == "ok"
            assert as_mapping(entry["result"]["update_session"]["warning_behavior"]) == expected
        changed_counts.append(sum(entry["result"]["changed"] for entry in results.values()))
        assert as_mapping(sim.state.update_sessions[session_id]["warning_behavior"]) == expected
    assert changed_counts[0] >= 1 and changed_counts[1] == 0
    assert len(sim.calls("PATCH")) == changed_counts[0], "a task reports a change exactly when it sent one"
    assert sim.active_tokens == {}
    figures.set("concurrency", "concurrency.forks", 8)
    figures.set("concurrency", "concurrency.logins", len(sim.state.issued_tokens))
    figures.set("concurrency", "concurrency.leaked", len(sim.active_tokens))
