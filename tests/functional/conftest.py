"""Fixtures that run real ansible-playbook against the simulator, recording every task result."""

import json
import subprocess
from pathlib import Path

import pytest

import dev
from helpers import vmware_env

HERE = Path(__file__).resolve().parent


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

    def __getitem__(self, name):
        """The result of the task called ``name``."""
        return self._entry(name)["result"]

    def status(self, name):
        """ok, failed or skipped: how the task called ``name`` ended."""
        return self._entry(name)["status"]

    def _entry(self, name):
        matches = [entry for entry in self.results if entry["task"] == name]
        assert len(matches) == 1, "task %r ran %d times\n%s" % (name, len(matches), self.output)
        return matches[0]


@pytest.fixture
def playbook(trusted_simulator, tmp_path):
    """Run a playbook (a name in playbooks/, or a list of plays) against the simulator.

    Connection options come from VMWARE_* unless the playbook sets them.
    """
    sim = trusted_simulator

    def run(playbook, extra_vars=None, args=(), env=None, unset=()):
        if isinstance(playbook, str):
            path = HERE / "playbooks" / playbook
        else:
            path = tmp_path / "generated.yml"
            path.write_text(json.dumps(playbook, indent=1))  # JSON is YAML
        vars_file = tmp_path / "vars.json"
        vars_file.write_text(json.dumps(extra_vars or {}))
        results_file = tmp_path / "results.json"
        if results_file.exists():
            results_file.unlink()
        environment = dev.ansible_env(
            ANSIBLE_CALLBACK_PLUGINS=str(HERE / "callback_plugins"),
            ANSIBLE_CALLBACKS_ENABLED="record_results",
            RECORD_RESULTS_FILE=str(results_file),
            **vmware_env(sim),
        )
        environment.pop("CURL_CA_BUNDLE", None)
        environment.update(env or {})
        for name_to_unset in unset:
            environment.pop(name_to_unset, None)
        process = subprocess.run(
            [str(dev.venv_bin("ansible-playbook")), str(path), "-e", "@%s" % vars_file] + list(args),
            env=environment, capture_output=True, text=True, timeout=300, check=False,
        )
        results = json.loads(results_file.read_text()) if results_file.exists() else []
        return PlaybookRun(process, results)

    return run
