# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The built collection, installed into an empty collections path, is what users get."""

import json
import subprocess
import tarfile

import pytest

import dev
from helpers import MODULES, assert_logged_out, play_statuses, seed_demo, vmware_env

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

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


def test_nothing_git_ignores_is_shipped_even_from_a_used_checkout(tmp_path):
    """A checkout that has been worked in holds virtualenvs, caches and what plain ansible-lint installs
    (.ansible/): build_ignore keeps every such path, one for each .gitignore line, out of the tarball."""
    checkout = dev.copy_checkout(tmp_path / "checkout")
    subprocess.run(["git", "init", "-q", str(checkout)], check=True)
    patterns = [line.strip().rstrip("/") for line in (dev.ROOT / ".gitignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for pattern in patterns:
        made = checkout / pattern.replace("*", "x") / "made-by-a-tool"
        made.parent.mkdir(parents=True, exist_ok=True)
        made.write_text("development only")
    output = tmp_path / "build"
    env = dev.ansible_env()
    env.pop("ANSIBLE_COLLECTIONS_PATH")
    subprocess.run([str(dev.venv_bin("ansible-galaxy")), "collection", "build", str(checkout), "--output-path",
                    str(output)], check=True, capture_output=True, env=env)
    with tarfile.open(next(output.glob("*.tar.gz"))) as archive:
        names = [name for name in archive.getnames() if name not in ("MANIFEST.json", "FILES.json")]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=checkout, input="\n".join(names),
                             capture_output=True, text=True, check=False).stdout.split()
    assert ignored == [] and not any("made-by-a-tool" in name for name in names), ignored


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
