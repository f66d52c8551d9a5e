# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""antsibull-changelog: the fragments lint clean, and CHANGELOG.rst and changelog.yaml already contain them."""

import filecmp

import dev
from conftest import copy_env, run

GENERATED = ("CHANGELOG.rst", "changelogs/changelog.yaml")


def test_changelog_lints_clean(collection_copy):
    antsibull_changelog = dev.venv_bin("antsibull-changelog")
    run([antsibull_changelog, "lint"], cwd=collection_copy)
    run([antsibull_changelog, "lint-changelog-yaml", "changelogs/changelog.yaml"], cwd=collection_copy)


def test_changelog_is_current(collection_copy):
    dev.release_changelog(collection_copy, env=copy_env(collection_copy))
    stale = [name for name in GENERATED if not filecmp.cmp(collection_copy / name, dev.ROOT / name, shallow=False)]
    assert stale == [], "stale %s: run python3 tests/dev.py changelog" % ", ".join(stale)


def test_changelog_covers_the_galaxy_version():
    assert "v%s\n" % dev.galaxy_version() in (dev.ROOT / "CHANGELOG.rst").read_text()
