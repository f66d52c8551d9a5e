# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""galaxy-importer, what Galaxy and Automation Hub run on every uploaded collection, accepts the release
tarball: no error and no warning (ansible-doc loads every plugin, ansible-lint passes). It runs offline, in
.venv-galaxy-importer, on a tarball built by ``tests/dev.py build`` with a stand-in repository URL, since
galaxy.yml names none until the canonical location is published (docs/development.md, "Release")."""

import os

import pytest

import dev
import venvs
from conftest import run

STAND_IN_REPOSITORY = "https://example.invalid/vsphere.content"


@pytest.fixture(scope="module")
def importer():
    python = dev.ensure_venv(venvs.GALAXY_IMPORTER_VENV, venvs.GALAXY_IMPORTER_REQUIREMENTS)
    env = dict(os.environ, PATH="%s%s%s" % (python.parent, os.pathsep, os.environ.get("PATH", "")))
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)

    def import_tarball(tarball):
        return run([python, "-m", "galaxy_importer.main", tarball], cwd=tarball.parent, env=env, timeout=900)
    return import_tarball


def test_galaxy_importer_accepts_the_release_build_without_an_error_or_a_warning(importer, tmp_path):
    print("building with the stand-in repository %s; a release names the real one" % STAND_IN_REPOSITORY)
    process = importer(dev.build(STAND_IN_REPOSITORY, tmp_path))
    output = process.stdout + process.stderr
    assert "Importer processing completed successfully" in output, output
    assert "...ansible-lint run complete" in output and "Loading module content_library_item" in output, output
    flagged = [line for line in output.splitlines() if "ERROR" in line or "WARNING" in line]
    assert flagged == [], output


def test_a_plain_build_names_no_repository_so_galaxy_would_refuse_it(importer, collection_tarball):
    """Why the release build exists: galaxy.yml leaves the repository out (no made-up URL)."""
    with pytest.raises(AssertionError, match="'repository' is required"):
        importer(collection_tarball)
