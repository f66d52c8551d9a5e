"""Shared parts of the quality gates: a clean copy of the collection, and running each tool."""

import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import dev

PYTHON_VERSION = "%d.%d" % sys.version_info[:2]

# ansible-test bootstraps pip in each of its virtualenvs with a script it
# downloads from a host outside the package index, unless that script is in its
# cache. This stand-in does the same job with what Python and PyPI provide.
GET_PIP_STAND_IN = '''\
"""Stand-in for ansible-test's get-pip script, written by vsphere.content's tests: ensurepip, then pip install."""
import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
if args[:1] == ["install"]:
    args = args[1:]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
'''


def run(command, cwd, env=None, timeout=1800):
    """Run a gate's tool; unless it exits 0, fail with everything it printed."""
    command = [str(part) for part in command]
    process = subprocess.run(command, cwd=cwd, env=env or dev.ansible_env(), capture_output=True, text=True,
                             timeout=timeout, check=False)
    assert process.returncode == 0, "%s exited %d\n%s\n%s" % (
        " ".join(command), process.returncode, process.stdout, process.stderr)
    return process


def collection_files():
    """Every file git tracks or would track (untracked, not ignored), relative to the checkout."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=dev.ROOT, capture_output=True, check=True).stdout.decode()
    return sorted(name for name in listing.split("\0") if name and (dev.ROOT / name).is_file())


@pytest.fixture
def collection_copy(tmp_path):
    """The collection without .venv and other ignored files, laid out as <tmp>/ansible_collections/vsphere/content."""
    dest = tmp_path / "ansible_collections" / "vsphere" / "content"
    for name in collection_files():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dev.ROOT / name, dest / name)
    return dest


def copy_env(collection_copy, **extra):
    """ansible_env() with only the copy as vsphere.content."""
    return dev.ansible_env(ANSIBLE_COLLECTIONS_PATH=str(collection_copy.parents[2]), **extra)


@pytest.fixture(scope="session")
def ansible_test_get_pip():
    """Put the get-pip stand-in where ansible-test looks first, unless a script is already there."""
    from ansible_test._internal.python_requirements import get_venv_packages

    pip_version = get_venv_packages(types.SimpleNamespace(version=PYTHON_VERSION))["pip"]
    path = Path(os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % pip_version.replace(".", "_")))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name("%s.%d" % (path.name, os.getpid()))
        staging.write_text(GET_PIP_STAND_IN)
        os.replace(staging, path)
    return path
