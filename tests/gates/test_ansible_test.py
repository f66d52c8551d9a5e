# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-test sanity and units on a copy of the collection, laid out as ansible-test requires, per ansible-core."""

import os
import re
import subprocess

import pytest

import debian_root
import dev
import venvs
from conftest import copy_env, newest_core

# A few of the sanity tests that matter most here; each must really have run.
KEY_SANITY_TESTS = ("validate-modules", "ansible-doc", "changelog", "runtime-metadata", "import", "pylint", "yamllint")


def test_no_sanity_ignore_entries():
    """Sanity passes on its own merit: no tests/sanity/ignore-*.txt entry may silence it."""
    entries = [
        "%s: %s" % (path.name, line)
        for path in sorted((dev.ROOT / "tests" / "sanity").glob("ignore-*.txt"))
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert entries == []


def test_oldest_ansible_core_gets_a_python_it_runs_on():
    python = venvs.oldest_ansible_python()
    version = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version in venvs.OLDEST_ANSIBLE_CONTROLLER_PYTHONS


def test_sanity(core_copy, ansible_core):
    process = ansible_core.run(["sanity"], core_copy)
    for name in KEY_SANITY_TESTS:
        assert 'Running sanity test "%s"' % name in process.stdout, process.stdout


def test_units(core_copy, ansible_core):
    """ansible-test units runs every unit test that pytest collects, and all pass."""
    collected = subprocess.run(
        [str(dev.venv_bin("python")), "-m", "pytest", "--collect-only", "-q", "tests/unit"],
        cwd=core_copy, env=copy_env(core_copy), capture_output=True, text=True, check=True,
    ).stdout
    expected = int(re.search(r"^(\d+) tests? collected", collected, re.MULTILINE).group(1))
    process = ansible_core.run(["units"], core_copy)
    summaries = re.findall(r"^=+ (.*) in [\d.]+s", process.stdout, re.MULTILINE)
    assert summaries and all(re.fullmatch(r"\d+ passed", summary) for summary in summaries), process.stdout
    assert sum(int(summary.split()[0]) for summary in summaries) == expected, process.stdout


def test_the_newest_leg_is_skipped_with_its_reason_where_the_tests_are_not_root(monkeypatch):
    """The Debian root needs root (debootstrap, unshare, chroot); elsewhere that leg is skipped, and says why."""
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(pytest.skip.Exception, match="the newest ansible-core's leg is skipped: .* needs root; this is uid 1000"):
        newest_core()


def test_the_root_is_rebuilt_when_its_recipe_changes(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("ansible-core>=2.21\n")
    before = debian_root.recipe_digest(requirements)
    requirements.write_text("ansible-core>=2.22\n")
    assert debian_root.recipe_digest(requirements) != before
