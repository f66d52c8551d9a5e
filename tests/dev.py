"""Development entry points; each sets up (or reuses) .venv first.

    python3 tests/dev.py demo            # the example playbook against the simulator
    python3 tests/dev.py test [ARGS...]  # the whole test suite (ARGS go to pytest)

Needs only Python 3.11+ with pip and venv.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
VENV = ROOT / ".venv"
REQUIREMENTS = (ROOT / "requirements.txt", ROOT / "requirements-dev.txt")
DEMO_PLAYBOOK = ROOT / "docs" / "examples" / "demo.yml"
DEMO_SEED = ROOT / "docs" / "examples" / "simulator-seed.json"
DEMO_USER = "administrator@vsphere.local"
DEMO_PASSWORD = "VMware1!"


def venv_bin(name):
    return VENV / "bin" / name


def ensure_venv():
    """Create .venv, and (re)install the requirements whenever they change."""
    python = venv_bin("python")
    if not python.exists():
        print("creating %s" % VENV, flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in REQUIREMENTS)).hexdigest()
    stamp = VENV / ".requirements.sha256"
    if not stamp.exists() or stamp.read_text() != digest:
        print("installing requirements-dev.txt into %s" % VENV, flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", str(ROOT / "requirements-dev.txt")],
            check=True,
        )
        stamp.write_text(digest)
    return python


def collections_path():
    """A directory whose ansible_collections/vsphere/content is this checkout.

    A checkout already at .../ansible_collections/vsphere/content is used as
    it is; otherwise a symlink is made outside the tree, so no tool walking the
    checkout meets a loop.
    """
    if ROOT.parent.name == "vsphere" and ROOT.parent.parent.name == "ansible_collections":
        return ROOT.parent.parent.parent
    tag = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    base = Path(tempfile.gettempdir()) / ("vsphere-content-%s" % tag)
    link = base / "ansible_collections" / "vsphere" / "content"
    if not (link.is_symlink() and link.resolve() == ROOT):
        link.parent.mkdir(parents=True, exist_ok=True)
        staging = link.with_name("content.%d" % os.getpid())
        if staging.is_symlink():
            staging.unlink()
        staging.symlink_to(ROOT, target_is_directory=True)
        os.replace(staging, link)
    return base


def ansible_env(**extra):
    """Environment for ansible-* commands that run this checkout as vsphere.content."""
    env = dict(os.environ)
    env.update(
        ANSIBLE_COLLECTIONS_PATH=str(collections_path()),
        ANSIBLE_LOCALHOST_WARNING="false",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
        ANSIBLE_NOCOLOR="1",
        PATH="%s%s%s" % (venv_bin(""), os.pathsep, env.get("PATH", "")),
    )
    env.update(extra)
    return env


def start_simulator(python, seed=None, cert_dir=None):
    """Start ``python -m vcenter_simulator``; return the process and its ready line."""
    command = [str(python), "-m", "vcenter_simulator"]
    if seed:
        command += ["--seed", str(seed)]
    if cert_dir:
        command += ["--cert-dir", str(cert_dir)]
    process = subprocess.Popen(command, cwd=TESTS, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line:
        process.wait()
        raise SystemExit("the simulator did not start (exit code %s)" % process.returncode)
    return process, json.loads(line)


def demo():
    python = ensure_venv()
    update_session_id = json.loads(DEMO_SEED.read_text())["update_sessions"][0]["id"]
    with tempfile.TemporaryDirectory(prefix="vsphere-content-demo-") as cert_dir:
        simulator, ready = start_simulator(python, DEMO_SEED, cert_dir)
        print("vCenter simulator listening on %s" % ready["url"], flush=True)
        try:
            env = ansible_env(
                VMWARE_HOST="127.0.0.1",
                VMWARE_PORT=str(ready["port"]),
                VMWARE_USER=DEMO_USER,
                VMWARE_PASSWORD=DEMO_PASSWORD,
                # validate_certs stays true: trust the simulator's own CA.
                REQUESTS_CA_BUNDLE=ready["ca_file"],
            )
            playbook = subprocess.run(
                [str(venv_bin("ansible-playbook")), str(DEMO_PLAYBOOK), "-e", "update_session_id=%s" % update_session_id],
                cwd=ROOT, env=env, check=False,
            )
        finally:
            simulator.terminate()
            simulator.wait(timeout=30)
    if simulator.returncode:
        print("the simulator reported spec violations", file=sys.stderr)
    return playbook.returncode or simulator.returncode


def test(pytest_args):
    python = ensure_venv()
    command = [str(python), "-m", "pytest", str(TESTS)] + list(pytest_args)
    return subprocess.run(command, cwd=ROOT, env=ansible_env(), check=False).returncode


def main(argv):
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "demo":
        return demo()
    return test(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
