"""Shared parts of the quality gates: a clean copy of the collection, and running each tool."""

import os
import subprocess
from pathlib import Path

import pytest

import dev

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


@pytest.fixture
def collection_copy(tmp_path):
    """The collection without .venv and other ignored files, laid out as <tmp>/ansible_collections/vsphere/content."""
    return dev.copy_checkout(tmp_path / "ansible_collections" / "vsphere" / "content")


def copy_env(collection_copy, **extra):
    """ansible_env() with only the copy as vsphere.content."""
    return dev.ansible_env(ANSIBLE_COLLECTIONS_PATH=str(collection_copy.parents[2]), **extra)


class AnsibleCore:
    """One ansible-core of the matrix we claim: its virtualenv, and its ansible-test run on a copy."""

    def __init__(self, venv):
        self.venv = venv
        self.python = dev.venv_bin("python", venv)
        self.ansible_test = dev.venv_bin("ansible-test", venv)
        self.version = run([self.ansible_test, "--version"], cwd=dev.ROOT).stdout.split()[-1]
        # ansible-test runs its tests under the Python of this virtualenv (it may not be this one's).
        self.python_version = run([self.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                  cwd=dev.ROOT).stdout.strip()

    def env(self, collection_copy):
        """copy_env(), with this ansible-core's commands first on PATH."""
        return copy_env(collection_copy, PATH="%s%s%s" % (dev.venv_bin("", self.venv), os.pathsep,
                                                          dev.ansible_env()["PATH"]))

    def run(self, args, collection_copy):
        """``ansible-test ARGS --venv --python X.Y`` in the copy; fails with its output unless it exits 0."""
        return run([self.ansible_test] + list(args) + ["--venv", "--python", self.python_version, "--color", "no"],
                   cwd=collection_copy, env=self.env(collection_copy))

    def install_get_pip_stand_in(self):
        """Put the get-pip stand-in where this ansible-test looks first, unless a script is already there."""
        pip_version = run([self.python, "-c", GET_VENV_PIP_VERSION, self.python_version], cwd=dev.ROOT).stdout.strip()
        path = Path(os.path.expanduser("~/.ansible/test/cache/get_pip_%s.py" % pip_version.replace(".", "_")))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name("%s.%d" % (path.name, os.getpid()))
            staging.write_text(GET_PIP_STAND_IN)
            os.replace(staging, path)


# The pip version ansible-test installs in its virtualenvs, which names the get-pip script it looks for.
GET_VENV_PIP_VERSION = (
    "import sys, types\n"
    "from ansible_test._internal.python_requirements import get_venv_packages\n"
    "print(get_venv_packages(types.SimpleNamespace(version=sys.argv[1]))['pip'])"
)

# The oldest ansible-core that galaxy.yml claims, and the newest pip serves (.venv's); the ids name them.
ANSIBLE_CORES = {"ansible-core-2.16": dev.ensure_oldest_ansible_venv, "ansible-core-newest": dev.ensure_venv}


@pytest.fixture(scope="session", params=sorted(ANSIBLE_CORES))
def ansible_core(request):
    """Each ansible-core of the matrix in turn, its virtualenv made or reused as .venv is."""
    python = ANSIBLE_CORES[request.param]()
    core = AnsibleCore(python.parent.parent)
    if request.param == "ansible-core-2.16":
        assert core.version.startswith("2.16."), core.version
    core.install_get_pip_stand_in()
    return core
