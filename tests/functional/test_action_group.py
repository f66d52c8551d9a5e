# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The vsphere action group: every module is in it, and it extends vmware.vmware's group when that is installed.

meta/runtime.yml lists vmware.vmware.vmware under ``metadata: extend_group``.
ansible-core resolves extended groups as optional, so without vmware.vmware
nothing changes (test_playbooks.py runs module_defaults without it); with it,
one module_defaults block reaches both collections' modules.
"""

import json
import subprocess
import textwrap

import pytest
import yaml

import dev
from helpers import MODULES

HERE = dev.TESTS / "functional"

# A module that reports the connection options it was given; stands in for vmware.vmware's modules.
ECHO_MODULE = textwrap.dedent('''\
    from ansible.module_utils.basic import AnsibleModule


    def main():
        module = AnsibleModule(argument_spec=dict(hostname=dict(type="str", default="unset"),
                                                  username=dict(type="str", default="unset")))
        module.exit_json(changed=False, hostname=module.params["hostname"], username=module.params["username"])


    if __name__ == "__main__":
        main()
''')

PLAYBOOK = textwrap.dedent('''\
    - name: One module_defaults block for both collections
      hosts: localhost
      gather_facts: false
      module_defaults:
        group/vsphere.content.vsphere:
          hostname: vcenter.example.com
          username: automation@vsphere.local
      tasks:
        - name: A module in vmware.vmware's group
          vmware.vmware.echo_in_group:
        - name: A module outside it
          vmware.vmware.echo_outside_group:
''')


def action_group():
    return yaml.safe_load((dev.ROOT / "meta" / "runtime.yml").read_text())["action_groups"]["vsphere"]


def test_every_module_is_in_the_group():
    names = [entry for entry in action_group() if isinstance(entry, str)]
    assert sorted(names) == MODULES


def test_the_group_extends_vmware_vmware():
    metadata = [entry["metadata"] for entry in action_group() if isinstance(entry, dict)]
    assert metadata == [{"extend_group": ["vmware.vmware.vmware"]}]


def ansible_galaxy_lists(collection, env):
    process = subprocess.run([str(dev.venv_bin("ansible-galaxy")), "collection", "list", "--format", "json"],
                             env=env, capture_output=True, text=True, check=True)
    return any(collection in found for found in json.loads(process.stdout).values())


@pytest.fixture
def fake_vmware_vmware(tmp_path):
    """A collections path with a stand-in vmware.vmware: its `vmware` group holds one of its two modules."""
    root = tmp_path / "vmware_collections" / "ansible_collections" / "vmware" / "vmware"
    (root / "meta").mkdir(parents=True)
    (root / "plugins" / "modules").mkdir(parents=True)
    (root / "galaxy.yml").write_text("namespace: vmware\nname: vmware\nversion: 1.0.0\n")
    (root / "meta" / "runtime.yml").write_text(yaml.safe_dump({
        "requires_ansible": ">=2.16.0", "action_groups": {"vmware": ["echo_in_group"]}}))
    for name in ("echo_in_group", "echo_outside_group"):
        (root / "plugins" / "modules" / ("%s.py" % name)).write_text(ECHO_MODULE)
    return root.parents[2]


def test_module_defaults_reach_vmware_vmware_modules(fake_vmware_vmware, tmp_path):
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(PLAYBOOK)
    results_file = tmp_path / "results.json"
    env = dev.ansible_env(
        ANSIBLE_COLLECTIONS_PATH="%s:%s" % (fake_vmware_vmware, dev.collections_path()),
        ANSIBLE_CALLBACK_PLUGINS=str(HERE / "callback_plugins"),
        ANSIBLE_CALLBACKS_ENABLED="record_results",
        RECORD_RESULTS_FILE=str(results_file),
    )
    assert ansible_galaxy_lists("vmware.vmware", env)
    process = subprocess.run([str(dev.venv_bin("ansible-playbook")), str(playbook)], env=env, capture_output=True,
                             text=True, timeout=300, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    results = {entry["task"]: entry["result"] for entry in json.loads(results_file.read_text())}
    given = {task: (result["hostname"], result["username"]) for task, result in results.items()}
    assert given == {
        "A module in vmware.vmware's group": ("vcenter.example.com", "automation@vsphere.local"),
        "A module outside it": ("unset", "unset"),
    }


def test_vmware_vmware_is_absent_from_the_other_tests():
    """test_playbooks.py's module_defaults test therefore shows that a missing vmware.vmware is tolerated."""
    assert not ansible_galaxy_lists("vmware.vmware", dev.ansible_env())
