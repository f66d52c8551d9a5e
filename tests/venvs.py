# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The checkout's virtualenvs: .venv (the test command's, or the demo's lean set), the oldest ansible-core's,
and galaxy-importer's. Each is made once and reused, its requirements reinstalled when they change, and made
under a lock so that pytest-xdist workers wanting the same one take turns."""

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
VENV = ROOT / ".venv"
# The oldest ansible-core we claim gets a virtualenv of its own, made and reused like .venv.
OLDEST_ANSIBLE_VENV = ROOT / ".venv-ansible-2.16"
OLDEST_ANSIBLE_REQUIREMENTS = TESTS / "requirements-ansible-2.16.txt"
OLDEST_ANSIBLE_CONTROLLER_PYTHONS = ("3.12", "3.11", "3.10")
DEMO_REQUIREMENTS = TESTS / "requirements-demo.txt"
GALAXY_IMPORTER_VENV = ROOT / ".venv-galaxy-importer"
GALAXY_IMPORTER_REQUIREMENTS = TESTS / "requirements-galaxy-importer.txt"


def venv_bin(name, venv=VENV):
    return venv / "bin" / name


def requirement_files(path):
    """``path`` and every requirements file it includes with -r, recursively."""
    found = [Path(path)]
    for line in Path(path).read_text().splitlines():
        if line.startswith("-r "):
            found += requirement_files(Path(path).parent / line[3:].split("#")[0].strip())
    return found


@contextlib.contextmanager
def exclusively(path):
    """Hold a lock named after ``path`` (in the temporary directory): pytest-xdist workers that make the
    same virtualenv or root at once take turns, and the later one finds it made."""
    name = "vsphere-content-%s.lock" % hashlib.sha256(str(path).encode()).hexdigest()[:16]
    with open(os.path.join(tempfile.gettempdir(), name), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_venv(venv=VENV, requirements=ROOT / "requirements-dev.txt", base_python=sys.executable):
    """Create ``venv`` with ``base_python``, and (re)install ``requirements`` whenever they (or a file they include)
    change."""
    with exclusively(venv):
        return _ensure_venv(venv, requirements, base_python)


def _ensure_venv(venv, requirements, base_python):
    python = venv_bin("python", venv)
    # Made only once "python -m venv" has finished: a run stopped halfway leaves a venv that is remade.
    made = venv / ".made"
    if not made.exists():
        print("creating %s" % venv, flush=True)
        subprocess.run([str(base_python), "-m", "venv", "--clear", str(venv)], check=True)
        made.touch()
    if not _installed(venv, requirements):
        print("installing %s into %s" % (requirements.relative_to(ROOT), venv), flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)],
            check=True,
        )
        # A set it includes is installed too: the demo's lean set, once the test command's is in.
        for included in requirement_files(requirements):
            _stamp(venv, included).write_text(requirements_digest(included))
    return python


def _stamp(venv, requirements):
    return venv / (".%s.sha256" % requirements.name)


def _installed(venv, requirements):
    """Whether ``requirements``, as they read now (with the files they include), were installed into ``venv``."""
    stamp = _stamp(venv, requirements)
    return stamp.exists() and stamp.read_text() == requirements_digest(requirements)


def requirements_digest(requirements):
    """A digest of ``requirements`` as they read now, with every file they include."""
    return hashlib.sha256(b"".join(path.read_bytes() for path in requirement_files(requirements))).hexdigest()


def oldest_ansible_python():
    """This Python if ansible-core 2.16 runs on it as a controller, else the newest python3.X on PATH that it runs on."""
    if "%d.%d" % sys.version_info[:2] in OLDEST_ANSIBLE_CONTROLLER_PYTHONS:
        return sys.executable
    for version in OLDEST_ANSIBLE_CONTROLLER_PYTHONS:
        found = shutil.which("python" + version)
        if found:
            return found
    raise SystemExit("ansible-core 2.16 runs on Python %s, and none of them is on PATH (this is Python %d.%d)"
                     % (", ".join(OLDEST_ANSIBLE_CONTROLLER_PYTHONS), *sys.version_info[:2]))


def ensure_oldest_ansible_venv():
    """The virtualenv with the oldest ansible-core that meta/runtime.yml's requires_ansible claims."""
    return ensure_venv(OLDEST_ANSIBLE_VENV, OLDEST_ANSIBLE_REQUIREMENTS, oldest_ansible_python())
