# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared parts of the quality gates: a clean copy of the collection, and running each tool."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import debian_root
import dev
import venvs

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
    """One ansible-core of the matrix we claim, in a virtualenv of this machine: its ansible-test run on a copy."""

    def __init__(self, venv):
        self.venv = venv
        self.python = dev.venv_bin("python", venv)
        # The Python that runs the simulator for the integration targets (it needs the simulator's requirements).
        self.simulator_python = dev.venv_bin("python")
        self.read_versions()

    def read_versions(self):
        """This ansible-core's version, and its Python's X.Y, under which ansible-test runs its tests."""
        self.version = self.python_says("import ansible; print(ansible.__version__)")
        self.python_version = self.python_says("import sys; print('%d.%d' % sys.version_info[:2])")

    def describe(self):
        return "ansible-core %s on Python %s" % (self.version, self.python_version)

    def copy_collection(self, directory):
        """A copy of the collection for this core to test, laid out as <directory>/ansible_collections/vsphere/content."""
        return dev.copy_checkout(Path(directory) / "ansible_collections" / "vsphere" / "content")

    def path(self, host_path):
        """``host_path`` as this core's commands see it."""
        return str(host_path)

    def execute(self, command, cwd, env):
        return run(command, cwd=cwd, env=env)

    def python_says(self, code, *args):
        """What this core's Python prints, running ``code``."""
        return self.execute([self.python, "-c", code] + list(args), cwd=dev.ROOT, env=dev.ansible_env()).stdout.strip()

    def run(self, args, collection_copy):
        """``ansible-test ARGS --venv --python X.Y`` in the copy; fails with its output unless it exits 0."""
        env = copy_env(collection_copy, PATH="%s%s%s" % (dev.venv_bin("", self.venv), os.pathsep,
                                                         dev.ansible_env()["PATH"]))
        return self.execute([dev.venv_bin("ansible-test", self.venv)] + list(args) + self.ansible_test_options(),
                            cwd=collection_copy, env=env)

    def ansible_test_options(self):
        return ["--venv", "--python", self.python_version, "--color", "no"]

    def install_get_pip_stand_in(self, home=Path("~").expanduser()):
        """Put the get-pip stand-in where this ansible-test looks first, unless a script is already there."""
        pip_version = self.python_says(GET_VENV_PIP_VERSION, self.python_version)
        path = Path(home, ".ansible", "test", "cache", "get_pip_%s.py" % pip_version.replace(".", "_"))
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name("%s.%d" % (path.name, os.getpid()))
            staging.write_text(GET_PIP_STAND_IN)
            os.replace(staging, path)


class RootedAnsibleCore(AnsibleCore):
    """The newest ansible-core, in the Debian root of tests/debian_root.py (it needs a newer Python than the host's).
    Its copies of the collection are made inside the root, and its commands run there, the simulator too."""

    def __init__(self):
        self.python = self.simulator_python = debian_root.PYTHON
        self.read_versions()

    def copy_collection(self, directory):
        inside = Path(tempfile.mkdtemp(prefix="vsphere-content-", dir=debian_root.ROOT / "tmp"))
        return super().copy_collection(inside)

    def path(self, host_path):
        return debian_root.inner(host_path)

    def execute(self, command, cwd, env):
        inner_env = {key: value for key, value in env.items() if key.startswith("ANSIBLE_") and "PATH" not in key}
        return run(debian_root.command(command, self.path(cwd) if Path(cwd).is_relative_to(debian_root.ROOT) else "/",
                                       inner_env), cwd=dev.ROOT)

    def run(self, args, collection_copy):
        return self.execute(["ansible-test"] + list(args) + self.ansible_test_options(), cwd=collection_copy,
                            env=dev.ansible_env())

    def install_get_pip_stand_in(self, home=None):
        super().install_get_pip_stand_in(debian_root.ROOT / "root")


# The pip version ansible-test installs in its virtualenvs, which names the get-pip script it looks for.
GET_VENV_PIP_VERSION = (
    "import sys, types\n"
    "from ansible_test._internal.python_requirements import get_venv_packages\n"
    "print(get_venv_packages(types.SimpleNamespace(version=sys.argv[1]))['pip'])"
)


def oldest_core():
    core = AnsibleCore(venvs.ensure_oldest_ansible_venv().parent.parent)
    assert core.version.startswith("2.16."), core.version
    return core


def newest_core():
    reason = debian_root.unavailable()
    if reason:
        pytest.skip("the newest ansible-core's leg is skipped: %s" % reason)
    debian_root.ensure_root()
    return RootedAnsibleCore()


# The oldest ansible-core that meta/runtime.yml claims, on this machine's Python, and the newest there is, on
# Debian 13's Python (tests/debian_root.py). The ids name them; each leg's tests run in one xdist group.
ANSIBLE_CORES = {"ansible-core-2.16": oldest_core, "ansible-core-newest": newest_core}


# Each leg's tests make one xdist group: under --dist loadgroup the legs run side by side (they share nothing),
# and the tests of one leg run in one process, which makes its virtualenv or root once.
@pytest.fixture(scope="session", params=[pytest.param(leg, marks=pytest.mark.xdist_group(leg))
                                         for leg in sorted(ANSIBLE_CORES)])
def ansible_core(request):
    """Each ansible-core of the matrix in turn, its virtualenv (or root) made or reused as .venv is."""
    core = ANSIBLE_CORES[request.param]()
    core.install_get_pip_stand_in()
    print("%s: %s" % (request.param, core.describe()))
    return core


@pytest.fixture
def core_copy(ansible_core, tmp_path):
    """A copy of the collection where ``ansible_core`` tests it; removed afterwards."""
    copy = ansible_core.copy_collection(tmp_path)
    yield copy
    if not Path(copy).is_relative_to(tmp_path):
        shutil.rmtree(copy.parents[2], ignore_errors=True)
