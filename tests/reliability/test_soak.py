# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The soak: hundreds of in-process module runs against one simulator, with faults drawn at random (seeded)."""

import json
import random

from ansible_collections.vsphere.content.plugins.module_utils.warning_behavior import WARNING_TYPES, as_mapping
from ansible_collections.vsphere.content.plugins.modules.content_library_update_session import main
from faults_menu import FAULT_KINDS, draw_faults, session_path
from helpers import connection_args, run_module

SEED = 20261127
RUNS = 320
SESSIONS = ["soak-%d" % number for number in range(6)]


def random_request(rng):
    types = rng.sample(WARNING_TYPES, rng.randint(0, len(WARNING_TYPES)))
    return {warning_type: rng.random() < 0.7 for warning_type in types}


def test_soak(trusted_simulator, figures):
    sim = trusted_simulator
    rng = random.Random(SEED)
    for session_id in SESSIONS:
        sim.state.add_update_session(session_id)
    model = {session_id: {} for session_id in SESSIONS}
    outcomes = {"ok": 0, "failed": 0, "applied_then_failed": 0, "survived": 0}
    problems, leaked, tracebacks = [], 0, []
    figures.set("soak", "soak.kinds", {kind.name: "survived" if kind.survivable else "fails the run cleanly"
                                       for kind in FAULT_KINDS})
    for run_number in range(RUNS):
        session_id = rng.choice(SESSIONS)
        requested = random_request(rng)
        purge = rng.random() < 0.3
        check_mode = rng.random() < 0.1
        kinds = draw_faults(rng)
        injected = [(kind, [sim.inject_fault(**fault) for fault in kind.build(rng, session_path(session_id))])
                    for kind in kinds]
        timeouts = [kind.request_timeout for kind in kinds if kind.request_timeout]
        args = connection_args(
            sim, update_session_id=session_id, purge_warning_behavior=purge, retry_backoff=0.01,
            request_timeout=min(timeouts) if timeouts else 5.0,
            warning_behavior=[{"type": t, "ignored": ignored} for t, ignored in requested.items()],
        )
        before = dict(model[session_id])
        desired = dict(requested) if purge else dict(before, **requested)
        try:
            result = run_module(main, args, check_mode=check_mode)
        except Exception as exc:  # noqa: BLE001 - a traceback is exactly what this soak must never see
            tracebacks.append("run %d: %r" % (run_number, exc))
            continue
        finally:
            sim.clear_faults()
        triggered = [kind for kind, faults in injected if any(fault.applied for fault in faults)]
        for kind in kinds:
            figures.add("soak", "soak.injected." + kind.name)
        for kind in triggered:
            figures.add("soak", "soak.triggered." + kind.name)
        server = as_mapping(sim.state.update_sessions[session_id]["warning_behavior"])
        leaked += len(sim.active_tokens)
        label = "run %d (%s)" % (run_number, ", ".join(kind.name for kind in triggered) or "no fault")
        if "exception" in result or "Traceback" in json.dumps(result):
            tracebacks.append(label)
        must_fail = any(not kind.survivable for kind in triggered)
        if result.get("failed"):
            outcomes["failed"] += 1
            if not must_fail:
                problems.append("%s failed: %s" % (label, result["msg"]))
            if "\n" in result["msg"] or "127.0.0.1:%d" % sim.port not in result["msg"]:
                problems.append("%s: unclear message %r" % (label, result["msg"]))
            if server not in (before, desired):
                problems.append("%s left %r, neither %r nor %r" % (label, server, before, desired))
            if server != before:
                outcomes["applied_then_failed"] += 1
            model[session_id] = server
            continue
        outcomes["ok"] += 1
        outcomes["survived"] += len(triggered)
        if must_fail:
            problems.append("%s succeeded" % label)
        reported = as_mapping(result["update_session"].get("warning_behavior"))
        expected_server = before if check_mode else desired
        if reported != desired or server != expected_server:
            problems.append("%s: reported %r, server %r, requested %r" % (label, reported, server, desired))
        model[session_id] = server

    for session_id in SESSIONS:
        assert as_mapping(sim.state.update_sessions[session_id]["warning_behavior"]) == model[session_id]
    figures.set("soak", "soak.seed", SEED)
    figures.set("soak", "soak.runs", RUNS)
    figures.set("soak", "soak.ok", outcomes["ok"])
    figures.set("soak", "soak.failed", outcomes["failed"])
    figures.set("soak", "soak.failed_clearly", outcomes["failed"])
    figures.set("soak", "soak.applied_then_failed", outcomes["applied_then_failed"])
    figures.set("soak", "soak.survived", outcomes["survived"])
    figures.set("soak", "soak.logins", len(sim.state.issued_tokens))
    figures.set("soak", "soak.leaked", leaked + len(sim.active_tokens))
    figures.set("soak", "soak.tracebacks", len(tracebacks))
    assert tracebacks == []
    assert problems == []
    assert leaked == 0 and sim.active_tokens == {}
    assert outcomes["ok"] + outcomes["failed"] == RUNS
