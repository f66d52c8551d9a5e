"""The built collection, installed into an empty collections path, is what users get."""

import json
import subprocess
import tarfile

import pytest

import dev
from helpers import MODULES, assert_logged_out, play_statuses, seed_demo, vmware_env

SHIPPED = ("README.md", "LICENSE", "CHANGELOG.rst", "requirements.txt", "bindep.txt", "meta/runtime.yml",
           "meta/execution-environment.yml", "changelogs/changelog.yaml", "docs/examples/demo.yml",
           "docs/awx.md", "docs/plugins/index.rst")
DEVELOPMENT_ONLY = ("tests/", ".venv/", ".ci/", ".git", ".ansible-lint", "requirements-dev.txt",
                    "changelogs/fragments/", "docs/execution-environment/context/")


@pytest.fixture(scope="module")
def installed(tmp_path_factory, collection_tarball):
    """The tarball installed into an empty collections path, and an environment that sees only that path."""
    collections = tmp_path_factory.mktemp("installed") / "collections"
    env = dev.ansible_env(ANSIBLE_COLLECTIONS_PATH=str(collections))
    subprocess.run([str(dev.venv_bin("ansible-galaxy")), "collection", "install", str(collection_tarball),
                    "-p", str(collections)], check=True, capture_output=True, env=env)
    return collections / "ansible_collections" / "vsphere" / "content", env


def test_tarball_ships_the_collection_and_leaves_development_files_out(collection_tarball):
    with tarfile.open(collection_tarball) as archive:
        names = archive.getnames()
    missing = [name for name in SHIPPED + tuple("plugins/modules/%s.py" % m for m in MODULES) if name not in names]
    assert missing == []
    assert [name for name in names if name.startswith(DEVELOPMENT_ONLY) or "__pycache__" in name
            or name.endswith(".tar.gz")] == []


def test_ansible_galaxy_lists_only_the_installed_copy(installed):
    path, env = installed
    process = subprocess.run([str(dev.venv_bin("ansible-galaxy")), "collection", "list", "vsphere.content",
                              "--format", "json"], capture_output=True, text=True, env=env, check=True)
    listing = json.loads(process.stdout)
    assert listing == {str(path.parents[1]): {"vsphere.content": {"version": dev.galaxy_version()}}}


def test_ansible_doc_lists_every_module(installed):
    _path, env = installed
    process = subprocess.run([str(dev.venv_bin("ansible-doc")), "--list", "--json", "vsphere.content"],
                             capture_output=True, text=True, env=env, check=True)
    assert sorted(json.loads(process.stdout)) == ["vsphere.content.%s" % module for module in MODULES]


@pytest.mark.parametrize("module", MODULES)
def test_ansible_doc_renders_each_module_from_the_installed_copy(installed, module):
    path, env = installed
    name = "vsphere.content.%s" % module
    process = subprocess.run([str(dev.venv_bin("ansible-doc")), "--json", name],
                             capture_output=True, text=True, env=env, check=True)
    doc = json.loads(process.stdout)[name]["doc"]
    assert doc["filename"] == str(path / "plugins" / "modules" / ("%s.py" % module))
    assert doc["short_description"] and doc["description"]
    assert {"hostname", "username", "password", "validate_certs"} <= set(doc["options"])
    text = subprocess.run([str(dev.venv_bin("ansible-doc")), name], capture_output=True, text=True, env=env,
                          check=True).stdout
    assert text.startswith("> MODULE %s (%s)" % (name, doc["filename"]))


def test_update_session_documentation(installed):
    _path, env = installed
    name = "vsphere.content.content_library_update_session"
    doc = json.loads(subprocess.run([str(dev.venv_bin("ansible-doc")), "--json", name], capture_output=True,
                                    text=True, env=env, check=True).stdout)[name]["doc"]
    assert {"update_session_id", "warning_behavior", "purge_warning_behavior"} <= set(doc["options"])
    assert doc["attributes"]["check_mode"]["support"] == "full"
    assert doc["short_description"].startswith("Manage a Content Library update session")
    text = " ".join(subprocess.run([str(dev.venv_bin("ansible-doc")), name], capture_output=True, text=True,
                                   env=env, check=True).stdout.split())
    assert "the transaction vCenter opens when content is uploaded to a library item." in text
    assert "VMWARE_HOST" in text


def test_demo_runs_from_the_installed_copy(installed, trusted_simulator, tmp_path):
    """The installed copy's own demo playbook, run from outside the checkout, uses the installed modules."""
    path, env = installed
    extra_vars = seed_demo(trusted_simulator, tmp_path / "templates")
    env.update(vmware_env(trusted_simulator))
    process = subprocess.run([str(dev.venv_bin("ansible-playbook")), "-vvv", str(path / "docs" / "examples" / "demo.yml"),
                              "-e", json.dumps(extra_vars)],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    assert play_statuses(process.stdout)[:3] == ["changed", "ok", "changed"], process.stdout
    module_files = {line.split("Using module file ", 1)[1].strip() for line in process.stdout.splitlines()
                    if "Using module file " in line}
    assert module_files == {str(path / "plugins" / "modules" / ("%s.py" % module)) for module in (
        "content_library_item", "content_library_update_session", "content_library_update_session_file")}
    assert_logged_out(trusted_simulator)
