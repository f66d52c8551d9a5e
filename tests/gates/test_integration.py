# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-test integration: every target in tests/integration/targets/ runs against the embedded simulator, and passes.

The targets start the simulator through setup_vcenter_simulator, with a Python that has its requirements
(.venv's on this machine, the root's virtualenv in the Debian root; ansible-test's own virtualenv has
neither): integration_config.yml, which ansible-test hands to every target as variables, says where that
Python and the simulator are.
"""

import json
import os
import re
import signal
from pathlib import Path

TARGETS = ("tests", "integration", "targets")
# ansible-test runs these only as dependencies of other targets, never on their own.
HIDDEN_PREFIXES = ("setup_", "prepare_")


def expected_targets(collection):
    """Every target ansible-test must run: each directory of tests/integration/targets/ but the hidden ones."""
    return sorted(path.name for path in collection.joinpath(*TARGETS).iterdir()
                  if path.is_dir() and not path.name.startswith(HIDDEN_PREFIXES))


def write_integration_config(ansible_core, collection):
    """tests/integration/integration_config.yml: where setup_vcenter_simulator finds the simulator and its Python,
    as ``ansible_core``'s commands see them."""
    config = {
        "setup_vcenter_simulator_python": str(ansible_core.simulator_python),
        "setup_vcenter_simulator_tests_dir": ansible_core.path(collection / "tests"),
    }
    # JSON is YAML.
    collection.joinpath("tests", "integration", "integration_config.yml").write_text(json.dumps(config, indent=1) + "\n")


def run_integration(ansible_core, collection):
    """Run every integration target with ``ansible_core``'s ansible-test; each must have run, and passed.
    Returns the finished process."""
    write_integration_config(ansible_core, collection)
    process = ansible_core.run(["integration"], collection)
    ran = re.findall(r"^Running (\S+) integration test role$", process.stdout, re.MULTILINE)
    assert sorted(ran) == expected_targets(collection), process.stdout
    recaps = re.findall(r"^testhost\s+:\s+(.*)$", process.stdout, re.MULTILINE)
    assert len(recaps) == len(ran), process.stdout
    for recap in recaps:
        counts = dict(field.split("=") for field in recap.split())
        assert counts["failed"] == counts["unreachable"] == "0", process.stdout
    left = stop_simulators_left(collection)
    assert not left, "a target left its simulator running (it must stop it with tasks_from: stop): %s" % left
    return process


def stop_simulators_left(collection):
    """Stop the simulators that targets run from ``collection`` started and left running; return their command
    lines. (A leg that runs in its own pid namespace cannot leave one: the namespace ends with it.)"""
    left = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if entry.name.isdigit() and b"vcenter_simulator" in argv and str(collection).encode() in environ:
            os.kill(int(entry.name), signal.SIGTERM)
            left.append(b" ".join(argv).decode(errors="replace").strip())
    return left


def test_every_target_runs_and_passes(core_copy, ansible_core):
    assert expected_targets(core_copy) == sorted(
        path.stem for path in (core_copy / "plugins" / "modules").glob("*.py") if not path.name.startswith("_")
    ), "one integration target per module"
    run_integration(ansible_core, core_copy)
