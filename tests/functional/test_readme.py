# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README stays honest: short, every path and link it names exists, every dev.py command it shows is one,
and its first example, verbatim but for the connection and the template's path, works against the simulator
started as docs/simulator.md starts it, with a template made as it says."""

import json
import re
import subprocess

import pytest
import yaml

import dev

README = dev.ROOT / "README.md"
MAX_LINES = 250
LINK = re.compile(r"\]\(([^)\s]+)\)")
# Backticked repository paths: docs/..., tests/..., plugins/..., meta/..., changelogs/...
PATH = re.compile(r"`((?:docs|tests|plugins|meta|changelogs)/[^`\s]*)`")
DEV_COMMAND = re.compile(r"python3 tests/dev\.py (\w+)")


def test_the_readme_is_for_users_and_short():
    assert len(README.read_text().splitlines()) <= MAX_LINES


@pytest.mark.parametrize("page", ["README.md"] + ["docs/%s" % path.name for path in sorted((dev.ROOT / "docs").glob("*.md"))])
def test_every_relative_link_leads_to_a_file(page):
    path = dev.ROOT / page
    targets = [target for target in LINK.findall(path.read_text()) if not target.startswith(("http://", "https://", "#"))]
    assert [target for target in targets if not (path.parent / target.split("#")[0]).exists()] == []


def test_every_path_and_command_the_readme_names_exists():
    text = README.read_text()
    assert [path for path in PATH.findall(text) if not (dev.ROOT / path.rstrip("/")).exists()] == []
    commands = set(DEV_COMMAND.findall(text))
    assert commands >= {"demo", "test", "quick", "build"}
    assert [command for command in commands if command not in dev.COMMANDS] == []


def first_example():
    """The text of the README's first YAML example (a list of tasks)."""
    return re.search(r"```yaml\n(.*?)```", README.read_text(), re.S).group(1)


# Whole playbooks: tests/dev.py quick leaves them to the full suite.
@pytest.mark.slow
def test_the_first_example_uploads_then_is_ok_against_the_simulator_as_documented(tmp_path):
    """Started as docs/simulator.md says (no --trusted-root), the simulator previews the template as vCenter
    does, raising SELF_SIGNED_CERTIFICATE and UNTRUSTED_CERTIFICATE: the example must accept both."""
    python = dev.venv_bin("python")
    made = subprocess.run([str(python), str(dev.TESTS / "ovf_package.py"), str(tmp_path / "photon")],
                          capture_output=True, text=True, check=True).stdout.split()
    ovf = next(path for path in made if path.endswith(".ovf"))
    example = first_example().replace("vcenter.example.com", "127.0.0.1").replace(
        "/srv/templates/photon-5/photon.ovf", ovf)
    tasks = yaml.safe_load(example)
    playbook = tmp_path / "example.yml"
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": tasks + tasks}]))
    simulator, ready = dev.start_simulator(python, dev.DEMO_SEED, tmp_path)
    try:
        env = dev.ansible_env(VMWARE_PORT=str(ready["port"]), VMWARE_CA_PATH=ready["ca_file"])
        for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "VMWARE_HOST", "VMWARE_USER", "VMWARE_PASSWORD"):
            env.pop(name, None)
        process = subprocess.run(
            [str(dev.venv_bin("ansible-playbook")), str(playbook), "-e", "vcenter_password=%s" % dev.DEMO_PASSWORD],
            env=env, capture_output=True, text=True, timeout=300, check=False)
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)
    assert process.returncode == 0, process.stdout + process.stderr
    assert re.search(r"localhost\s+: ok=2\s+changed=1\s+unreachable=0\s+failed=0", process.stdout), process.stdout
    assert simulator.returncode == 0, "the simulator saw a spec violation"
