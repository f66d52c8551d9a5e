# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Debian root for the newest ansible-core, which needs a newer Python than this machine may have.

ansible-core 2.20 and later need Python 3.12+ on the controller. Debian 13 packages Python 3.13, and its
mirror is reachable wherever Debian's packages are, so the newest leg of the test matrix runs in a root
that debootstrap builds once, under the checkout like the virtualenvs, and rebuilds when its recipe
(this file's SUITE and PACKAGES, and the requirements it installs) changes.

Commands enter it through ``unshare`` and ``chroot``: a private mount namespace (so /proc and /dev are
mounted only for them) and a pid namespace (so nothing they start outlives them). Both need root; where
the tests are not root, ``unavailable()`` says why and the leg is skipped.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import venvs

TESTS = venvs.TESTS
CHECKOUT = venvs.ROOT
SUITE = "trixie"
PACKAGES = ("python3", "python3-venv", "ca-certificates", "openssh-client", "procps")
ROOT = CHECKOUT / (".root-debian-%s" % SUITE)
REQUIREMENTS = TESTS / "requirements-ansible-newest.txt"
# The virtualenv inside the root, with the newest ansible-core and the simulator's requirements.
VENV = "/opt/ansible-newest"
PYTHON = VENV + "/bin/python"
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
PATH = VENV + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def unavailable():
    """Why the root cannot be built or entered here, or None if it can."""
    if not sys.platform.startswith("linux"):
        return "the Debian root needs Linux (this is %s)" % sys.platform
    if os.geteuid() != 0:
        return "building and entering the Debian root (debootstrap, unshare, chroot) needs root; this is uid %d" \
            % os.geteuid()
    if not shutil.which("unshare"):
        return "the Debian root is entered with unshare (util-linux), which is not on PATH"
    return None


def recipe_digest(requirements=REQUIREMENTS):
    """A digest of what the root is built from: the suite, its packages and the virtualenv's requirements."""
    recipe = "%s %s %s" % (SUITE, " ".join(PACKAGES), venvs.requirements_digest(requirements))
    return hashlib.sha256(recipe.encode()).hexdigest()


def inner(path):
    """The path inside the root of ``path``, a host path under ROOT."""
    return "/" + str(Path(path).relative_to(ROOT))


def command(argv, cwd="/", env=None):
    """The host command that runs ``argv`` in the root, in directory ``cwd`` (a path inside it), with a
    clean environment: the virtualenv first on PATH, pip settings carried over (but for find-links, which
    names host directories), and ``env``."""
    environment = {"HOME": "/root", "PATH": PATH, "LANG": "C.UTF-8", "PIP_CERT": str(HOST_CA_BUNDLE)}
    environment.update((key, value) for key, value in os.environ.items()
                       if key.startswith("PIP_") and key not in ("PIP_FIND_LINKS", "PIP_CERT"))
    environment.update(env or {})
    # $0 is the root; the rest is what runs in it: env -i VARS... sh -c 'cd DIR && exec ARGV'.
    inside = ["/usr/bin/env", "-i"] + ["%s=%s" % item for item in environment.items()]
    inside += ["sh", "-c", 'cd "$0" && exec "$@"', cwd] + [str(arg) for arg in argv]
    return ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
            "--mount-proc=%s" % (ROOT / "proc"), "sh", "-c", 'mount --rbind /dev "$0/dev" && exec chroot "$0" "$@"',
            str(ROOT)] + inside


def run(argv):
    """Run ``argv`` in the root; raise unless it exits 0."""
    subprocess.run(command(argv), check=True)


def ensure_root():
    """Build the root unless it is there and its recipe unchanged; returns ROOT. Call only if not unavailable().
    Processes that call it at once wait for each other: the second finds the root the first built."""
    with venvs.exclusively(ROOT):
        return _ensure_root()


def _ensure_root():
    digest = recipe_digest()
    stamp = ROOT / ".recipe.sha256"
    if stamp.exists() and stamp.read_text() == digest:
        return ROOT
    if not shutil.which("debootstrap"):
        print("installing debootstrap with apt-get", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "debootstrap"], check=True)
    print("building %s: Debian %s with %s, then %s"
          % (ROOT.name, SUITE, ", ".join(PACKAGES), REQUIREMENTS.relative_to(CHECKOUT)), flush=True)
    staging = Path(tempfile.mkdtemp(prefix=ROOT.name + ".", dir=CHECKOUT))
    try:
        subprocess.run(["debootstrap", "--variant=minbase", "--include=" + ",".join(PACKAGES), SUITE, str(staging)],
                       check=True, stdout=subprocess.DEVNULL)
        # pip reaches the package index as the host does, trusting what the host trusts.
        shutil.copy2(HOST_CA_BUNDLE, staging / HOST_CA_BUNDLE.relative_to("/"))
        recipe = staging / "opt" / "recipe"
        for path in venvs.requirement_files(REQUIREMENTS):
            destination = recipe / path.relative_to(CHECKOUT)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
        shutil.rmtree(ROOT, ignore_errors=True)
        os.rename(staging, ROOT)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    requirements = "/opt/recipe/" + str(REQUIREMENTS.relative_to(CHECKOUT))
    run(["python3", "-m", "venv", VENV])
    run([PYTHON, "-m", "pip", "install", "--quiet", "-r", requirements])
    stamp.write_text(digest)
    return ROOT
