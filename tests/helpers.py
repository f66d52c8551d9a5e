"""Helpers for tests that run the real modules in-process against the simulator."""

import contextlib
import io
import json
import subprocess

import pytest

import dev

USERNAME = dev.DEMO_USER
PASSWORD = dev.DEMO_PASSWORD


def connection_args(simulator, **overrides):
    args = dict(hostname=simulator.host, port=simulator.port, username=USERNAME, password=PASSWORD)
    args.update(overrides)
    return args


@contextlib.contextmanager
def _module_args(args):
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # ansible-core < 2.19
        from unittest import mock

        from ansible.module_utils import basic

        payload = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload):
            yield
    else:
        with patch_module_args(args):
            yield


def _forget_warnings():
    """AnsibleModule keeps warnings in module globals; one process runs many modules here."""
    from ansible.module_utils.common import warnings

    for name in ("_global_warnings", "_global_deprecations"):
        getattr(warnings, name).clear()


def warning_texts(result):
    """A result's warnings as text (ansible-core 2.19 returns them as summaries in-process)."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


def run_module(main, args, check_mode=False, diff=False):
    """Run a module's real main() with real argument parsing; return its JSON result."""
    _forget_warnings()
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    stdout = io.StringIO()
    with _module_args(args), contextlib.redirect_stdout(stdout):
        with pytest.raises(SystemExit) as exit_info:
            main()
    result = json.loads(stdout.getvalue())
    assert exit_info.value.code == (1 if result.get("failed") else 0)
    return result


def assert_logged_out(simulator):
    """Every API session the simulator issued was logged out again."""
    logins = [e for e in simulator.calls(route="login") if e["status"] == 201]
    assert len(logins) == len(simulator.calls(route="logout"))
    assert simulator.active_tokens == {}


def assert_saw(simulator, patches):
    """Exactly ``patches`` PATCH calls, and every API session logged out."""
    assert len(simulator.calls("PATCH")) == patches
    assert_logged_out(simulator)


def request_sequence(simulator):
    """What the simulator saw, in order, as (method, route, status); injected faults show as route "fault"."""
    return [(entry["method"], entry["route"], entry["status"]) for entry in simulator.requests]


class PlaybookRun:
    def __init__(self, process, results):
        self.returncode = process.returncode
        self.output = process.stdout + process.stderr
        self.results = results

    @property
    def task(self):
        """The result of the module task (the only task in these playbooks)."""
        assert len(self.results) == 1, self.output
        return self.results[0]["result"]


def run_playbook(simulator, playbook, workdir, extra_vars=None, args=(), env=None, unset=()):
    """Run ansible-playbook against the simulator (connection options from VMWARE_*), recording every task result."""
    vars_file = workdir / "vars.json"
    vars_file.write_text(json.dumps(extra_vars or {}))
    results_file = workdir / "results.json"
    environment = dev.ansible_env(
        ANSIBLE_CALLBACK_PLUGINS=str(dev.TESTS / "functional" / "callback_plugins"),
        ANSIBLE_CALLBACKS_ENABLED="record_results",
        RECORD_RESULTS_FILE=str(results_file),
        VMWARE_HOST=simulator.host,
        VMWARE_PORT=str(simulator.port),
        VMWARE_USER=USERNAME,
        VMWARE_PASSWORD=PASSWORD,
        REQUESTS_CA_BUNDLE=simulator.ca_file,
    )
    environment.pop("CURL_CA_BUNDLE", None)
    environment.update(env or {})
    for name in unset:
        environment.pop(name, None)
    process = subprocess.run(
        [str(dev.venv_bin("ansible-playbook")), str(playbook), "-e", "@%s" % vars_file] + list(args),
        env=environment, capture_output=True, text=True, timeout=600, check=False,
    )
    results = json.loads(results_file.read_text()) if results_file.exists() else []
    return PlaybookRun(process, results)
