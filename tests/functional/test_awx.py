# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/awx.md's credential type, rendered as AWX renders it, runs the demo through ansible-runner.

ansible-runner is what AWX runs jobs with. The job gets the collection's
connection options only from the environment variables the credential injects.
"""

import json
import re
import shutil
import types
from pathlib import Path

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

import dev
from helpers import PASSWORD, USERNAME, assert_logged_out, seed_demo

from ansible_collections.vsphere.content.plugins.module_utils.connection import connection_argument_spec

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

AWX_DOC = dev.ROOT / "docs" / "awx.md"
# What AWX's built-in VMware vCenter credential injects.
AWX_VMWARE_VARIABLES = {"VMWARE_HOST", "VMWARE_USER", "VMWARE_PASSWORD", "VMWARE_VALIDATE_CERTS"}


def credential_type():
    """The inputs and injectors of the custom credential type in docs/awx.md."""
    blocks = [yaml.safe_load(block) for block in re.findall(r"^```yaml\n(.*?)^```", AWX_DOC.read_text(), re.M | re.S)]
    inputs = [block for block in blocks if isinstance(block, dict) and "fields" in block]
    injectors = [block for block in blocks if isinstance(block, dict) and "env" in block]
    assert len(inputs) == 1 and len(injectors) == 1, "docs/awx.md must hold one input and one injector block"
    return inputs[0], injectors[0]


def inject(inputs, injectors, values, private_data_dir):
    """The environment AWX builds from a custom credential (awx/main/models/credential: inject_credential)."""
    namespace = {name: value for name, value in values.items() if value or isinstance(value, bool)}
    for field in inputs["fields"]:
        if field["type"] == "boolean" and field["id"] not in values:
            namespace[field["id"]] = False  # AWX: "default missing boolean fields to False"
    tower = namespace["tower"] = types.SimpleNamespace()
    sandbox = ImmutableSandboxedEnvironment()
    for label, template in injectors.get("file", {}).items():
        path = Path(private_data_dir) / "env" / ("credential_%s" % label)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sandbox.from_string(template).render(**namespace))
        tower.filename = str(path)
    return {name: sandbox.from_string(template).render(**namespace) for name, template in injectors["env"].items()}


def module_environment_variables():
    """Every environment variable the connection options fall back to."""
    return {name for option in connection_argument_spec().values() if "fallback" in option
            for name in option["fallback"][1]}


def test_credential_type_is_well_formed():
    inputs, injectors = credential_type()
    field_ids = [field["id"] for field in inputs["fields"]]
    assert set(inputs["required"]) <= set(field_ids)
    assert all(set(field) <= {"id", "type", "label", "help_text", "secret", "multiline"} for field in inputs["fields"])
    assert {field["id"] for field in inputs["fields"] if field.get("secret")} == {"password"}
    assert set(injectors) == {"env", "file"}
    used = " ".join(list(injectors["env"].values()) + list(injectors["file"].values()))
    assert [field for field in field_ids if not re.search(r"\b%s\b" % field, used)] == []


def test_credential_type_injects_what_the_modules_read():
    _inputs, injectors = credential_type()
    vmware_variables = {name for name in injectors["env"] if name.startswith("VMWARE_")}
    # The built-in credential's four, and the private CA through the collection's own variable, not through
    # REQUESTS_CA_BUNDLE, which would replace the public CAs for every requests-based module of the job.
    assert vmware_variables == AWX_VMWARE_VARIABLES | {"VMWARE_CA_PATH"}
    assert vmware_variables <= module_environment_variables()
    assert set(injectors["env"]) == vmware_variables


@pytest.mark.parametrize("values, validate_certs, ca_bundle", [
    ({}, "true", ""),
    ({"skip_certificate_verification": False}, "true", ""),
    ({"skip_certificate_verification": True}, "false", ""),
    ({"ca_certificates": "PEM"}, "true", "PEM"),
])
def test_credential_type_verifies_certificates_unless_told_not_to(tmp_path, values, validate_certs, ca_bundle):
    inputs, injectors = credential_type()
    values = dict(values, host="vcenter.example.com", username=USERNAME, password=PASSWORD)
    env = inject(inputs, injectors, values, tmp_path)
    assert env["VMWARE_VALIDATE_CERTS"] == validate_certs
    assert (Path(env["VMWARE_CA_PATH"]).read_text() if env["VMWARE_CA_PATH"] else "") == ca_bundle


def test_demo_job_through_ansible_runner(trusted_simulator, tmp_path, monkeypatch):
    sim = trusted_simulator
    extra_vars = seed_demo(sim, tmp_path / "templates")
    # The job's own environment is the EE's: ansible-playbook on PATH and the collection installed.
    # The credential injects everything else; even the simulator's CA must come through it.
    ee_env = dev.ansible_env()
    for name in ("PATH", "ANSIBLE_COLLECTIONS_PATH"):
        monkeypatch.setenv(name, ee_env[name])
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    private_data_dir = tmp_path / "job"
    (private_data_dir / "project").mkdir(parents=True)
    shutil.copy(dev.DEMO_PLAYBOOK, private_data_dir / "project" / "demo.yml")
    inputs, injectors = credential_type()
    envvars = inject(inputs, injectors, {
        "host": "https://%s:%d" % (sim.host, sim.port),
        "username": USERNAME,
        "password": PASSWORD,
        "ca_certificates": Path(sim.ca_file).read_text(),
    }, private_data_dir)

    job = ansible_runner.run(private_data_dir=str(private_data_dir), playbook="demo.yml", envvars=envvars,
                             extravars=extra_vars, quiet=True)

    events = list(job.events)
    stdout = job.stdout.read()
    assert (job.status, job.rc) == ("successful", 0), stdout
    results = [(e["event_data"]["task"], e["event"], e["event_data"]["res"].get("changed"))
               for e in events if e["event"].startswith("runner_on_") and "res" in e["event_data"]]
    assert [(event, changed) for _task, event, changed in results[:2]] == [
        ("runner_on_ok", True), ("runner_on_ok", False)], results
    # content_library_item sets its warning policy when it opens the session; only the step-by-step part PATCHes.
    assert len(sim.calls("PATCH")) == 1
    assert PASSWORD not in stdout and PASSWORD not in json.dumps(events)
    assert_logged_out(sim)
