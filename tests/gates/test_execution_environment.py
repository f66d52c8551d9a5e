# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The example execution environment builds a context that installs this collection and its requirements.

No container engine is needed: `ansible-builder create` writes the context, and
the test replays the two build stages that bring the collection in (the galaxy
install, then ansible-builder's introspection of what it installed).
"""

import re
import shutil

import yaml

import dev
from conftest import run
from helpers import MODULES

EXAMPLE = dev.ROOT / "docs" / "execution-environment"


def test_example_is_a_version_3_definition_that_installs_the_tarball():
    definition = yaml.safe_load((EXAMPLE / "execution-environment.yml").read_text())
    assert definition["version"] == 3
    assert definition["dependencies"]["galaxy"] == "requirements.yml"
    base_image = definition["images"]["base_image"]["name"]
    assert re.fullmatch(r"[^:]+:\d+", base_image), "the base image is pinned to a release, not %r" % base_image
    tarball = "vsphere-content-%s.tar.gz" % dev.galaxy_version()
    assert [entry["src"] for entry in definition["additional_build_files"]] == [tarball], \
        "docs/execution-environment/ must name the tarball of galaxy.yml's version"
    requirements = yaml.safe_load((EXAMPLE / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "collections/" + tarball, "type": "file"}]}


def test_ansible_builder_create(tmp_path, collection_tarball):
    build = tmp_path / "ee"
    shutil.copytree(EXAMPLE, build)
    shutil.copy(collection_tarball, build)
    run([dev.venv_bin("ansible-builder"), "create", "--file", "execution-environment.yml", "--context", "context",
         "--output-filename", "Containerfile"], cwd=build)
    context = build / "context"
    containerfile = (context / "Containerfile").read_text()
    # The build copies _build/ to /build and installs the collections from there, then introspects them.
    assert re.search(r"^COPY _build /build\nWORKDIR /build$", containerfile, re.MULTILINE)
    assert re.search(r"^RUN .*ansible-galaxy collection install .*-r requirements\.yml", containerfile, re.MULTILINE)
    assert re.search(r"^RUN .*introspect\.py introspect", containerfile, re.MULTILINE)
    assert "ansible-core>=2.16 ansible-runner" in containerfile

    # The galaxy stage, here: install what _build/requirements.yml names.
    collections = tmp_path / "collections"
    env = dev.ansible_env(ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1")
    env.pop("ANSIBLE_COLLECTIONS_PATH")
    run([dev.venv_bin("ansible-galaxy"), "collection", "install", "-r", "requirements.yml", "--collections-path",
         collections], cwd=context / "_build", env=env)
    installed = collections / "ansible_collections" / "vsphere" / "content"
    assert [module for module in MODULES if not (installed / "plugins" / "modules" / ("%s.py" % module)).is_file()] == []

    # The builder stage, here: the introspection that decides what pip and bindep install.
    python_requirements = tmp_path / "requirements.txt"
    run([dev.venv_bin("python"), context / "_build" / "scripts" / "introspect.py", "introspect",
         "--write-pip", python_requirements, "--write-bindep", tmp_path / "bindep.txt", collections], cwd=tmp_path)
    ours = [requirement(line) for line in (dev.ROOT / "requirements.txt").read_text().splitlines() if requirement(line)]
    lines = python_requirements.read_text().splitlines()
    assert [requirement(line) for line in lines] == ours
    assert any(name.startswith("requests") for name in ours)
    assert all(line.endswith("# from collection vsphere.content") for line in lines)


def requirement(line):
    return line.split("#")[0].strip()
