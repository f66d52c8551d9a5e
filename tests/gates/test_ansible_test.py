"""ansible-test sanity and units on a copy of the collection, laid out as ansible-test requires, per ansible-core."""

import re
import subprocess

import pytest

import dev
from conftest import copy_env

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
    python = dev.oldest_ansible_python()
    version = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version in dev.OLDEST_ANSIBLE_CONTROLLER_PYTHONS


def test_sanity(collection_copy, ansible_core):
    process = ansible_core.run(["sanity"], collection_copy)
    for name in KEY_SANITY_TESTS:
        assert 'Running sanity test "%s"' % name in process.stdout, process.stdout


# On the newest ansible-core, .venv's, the plain pytest run already runs every unit test on the same core and
# Python; ansible-test's own environment (its collection loader, tests/unit/requirements.txt) is proved on 2.16.
@pytest.mark.parametrize("ansible_core", ["ansible-core-2.16"], indirect=True)
def test_units(collection_copy, ansible_core):
    """ansible-test units runs every unit test that pytest collects, and all pass."""
    collected = subprocess.run(
        [str(dev.venv_bin("python")), "-m", "pytest", "--collect-only", "-q", "tests/unit"],
        cwd=collection_copy, env=copy_env(collection_copy), capture_output=True, text=True, check=True,
    ).stdout
    expected = int(re.search(r"^(\d+) tests? collected", collected, re.MULTILINE).group(1))
    process = ansible_core.run(["units"], collection_copy)
    summaries = re.findall(r"^=+ (.*) in [\d.]+s", process.stdout, re.MULTILINE)
    assert summaries and all(re.fullmatch(r"\d+ passed", summary) for summary in summaries), process.stdout
    assert sum(int(summary.split()[0]) for summary in summaries) == expected, process.stdout
