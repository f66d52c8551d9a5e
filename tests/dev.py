"""Development entry points; each sets up (or reuses) .venv first.

    python3 tests/dev.py demo            # the example playbook against the simulator
    python3 tests/dev.py test [ARGS...]  # the whole test suite (ARGS go to pytest)
    python3 tests/dev.py docs            # regenerate docs/plugins/ with antsibull-docs
    python3 tests/dev.py changelog       # fold changelogs/fragments/ into CHANGELOG.rst

Needs only Python 3.11+ with pip and venv.
"""

import hashlib
import json
import os
import re
import shutil
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
PLUGIN_DOCS = ROOT / "docs" / "plugins"


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


def run_tool(command, **kwargs):
    """Run a generator quietly; if it fails, stop with what it printed."""
    process = subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False, **kwargs)
    if process.returncode:
        raise SystemExit("%s failed:\n%s%s" % (command[0], process.stdout, process.stderr))


def galaxy_version(root=ROOT):
    return re.search(r"^version:\s*['\"]?([^'\"\s]+)", (root / "galaxy.yml").read_text(), re.MULTILINE).group(1)


def generate_plugin_docs(dest):
    """Write antsibull-docs' page for every plugin of the collection into ``dest``, replacing it."""
    # antsibull-docs writes only into a directory that only its owner can write to.
    with tempfile.TemporaryDirectory(prefix="vsphere-content-docs-") as build:
        run_tool([venv_bin("antsibull-docs"), "collection", "--use-current", "--squash-hierarchy",
                  "--output-format", "simplified-rst", "--no-add-antsibull-docs-version", "--fail-on-error",
                  "--dest-dir", build, "vsphere.content"], env=ansible_env())
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(build, dest)


def release_changelog(root=ROOT, env=None):
    """Fold the fragments into the release of galaxy.yml's version and rewrite CHANGELOG.rst.

    The release entry is made (dated today) the first time and updated after
    that, keeping its date: fragments added, edited or removed since, and new
    or renamed modules, show up in it.
    """
    run_tool([venv_bin("antsibull-changelog"), "release", "--version", galaxy_version(root), "--reload-plugins",
              "--refresh-plugins", "prevent-removal", "--refresh-fragments", "without-archives"],
             cwd=root, env=env or ansible_env())


def test(pytest_args):
    python = ensure_venv()
    # Test paths among the arguments narrow the run; without any, it is the whole suite.
    narrowed = any((ROOT / arg.split("::")[0]).exists() for arg in pytest_args if not arg.startswith("-"))
    command = [str(python), "-m", "pytest"] + ([] if narrowed else [str(TESTS)]) + list(pytest_args)
    return subprocess.run(command, cwd=ROOT, env=ansible_env(), check=False).returncode


def main(argv):
    if not argv or argv[0] not in ("demo", "test", "docs", "changelog"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "demo":
        return demo()
    if argv[0] == "test":
        return test(argv[1:])
    ensure_venv()
    if argv[0] == "docs":
        generate_plugin_docs(PLUGIN_DOCS)
        print("wrote %s" % PLUGIN_DOCS.relative_to(ROOT))
    else:
        release_changelog()
        print("wrote CHANGELOG.rst and changelogs/changelog.yaml for %s" % galaxy_version())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
