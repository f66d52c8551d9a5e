# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Development entry points; each sets up (or reuses) .venv first.

    python3 tests/dev.py demo            # the example playbook against the simulator
    python3 tests/dev.py test [ARGS...]  # the whole test suite (ARGS go to pytest)
    python3 tests/dev.py quick [ARGS...] # the inner loop: fast tests on every core, then lint (under 2 minutes)
    python3 tests/dev.py docs            # regenerate docs/plugins/ with antsibull-docs
    python3 tests/dev.py changelog       # fold changelogs/fragments/ into CHANGELOG.rst
    python3 tests/dev.py lint            # plain ansible-lint (production profile), as its gate runs it
    python3 tests/dev.py sanity          # the ansible-test sanity gate alone (a copy under ansible_collections/)
    python3 tests/dev.py build --repository URL [--output-path DIR]  # the release tarball, naming its repository

Needs only Python 3.11+ with pip and venv. The test command also makes (or reuses) .venv-ansible-2.16,
with the oldest ansible-core we claim, on this Python or, if 2.16 does not run on it, on a python3.X from PATH.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

# The virtualenvs, their requirements and making them: venvs.py.
from venvs import DEMO_REQUIREMENTS, ROOT, TESTS, ensure_venv, venv_bin

DEMO_PLAYBOOK = ROOT / "docs" / "examples" / "demo.yml"
DEMO_SEED = ROOT / "docs" / "examples" / "simulator-seed.json"
DEMO_USER = "administrator@vsphere.local"
DEMO_PASSWORD = "VMware1!"
DEMO_DISK = "photon-disk1.vmdk"
DEMO_DISK_SIZE = 16 << 10
DEMO_ITEM_RUNS = 4  # content_library_item tasks in demo.yml; only the first one opens an update session
PLUGIN_DOCS = ROOT / "docs" / "plugins"


def checkout_files():
    """Every file git tracks or would track (untracked, not ignored), relative to the checkout."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return sorted(name for name in listing.split("\0") if name and (ROOT / name).is_file())


def copy_checkout(dest):
    """Copy the files of ``checkout_files()`` (so no .venv, caches or build output) to ``dest``; return it."""
    dest = Path(dest)
    for name in checkout_files():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    return dest


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


def start_simulator(python, seed=None, cert_dir=None, trusted_roots=()):
    """Start ``python -m vcenter_simulator``; return the process and its ready line."""
    command = [str(python), "-m", "vcenter_simulator"]
    if seed:
        command += ["--seed", str(seed)]
    if cert_dir:
        command += ["--cert-dir", str(cert_dir)]
    for path in trusted_roots:
        command += ["--trusted-root", str(path)]
    process = subprocess.Popen(command, cwd=TESTS, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line:
        process.wait()
        raise SystemExit("the simulator did not start (exit code %s)" % process.returncode)
    return process, json.loads(line)


def write_demo_packages(directory):
    """The demo's template, in two builds signed by one self-signed certificate; returns the playbook's vars.

    ``v1/photon.ovf`` and ``v2/photon.ovf`` differ in one byte of their disk (and so in their manifest and its
    signature); ``trusted-root.pem`` is the signer's certificate, for the simulator to trust. Needs
    ``cryptography`` (.venv's Python).
    """
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from ovf_package import deterministic_chunks, make_ovf_package, make_signer

    directory = Path(directory)
    signer = make_signer(common_name="vsphere.content demo")
    disk = b"".join(deterministic_chunks(DEMO_DISK, DEMO_DISK_SIZE))
    changed = bytes([disk[0] ^ 0xFF]) + disk[1:]
    builds = {}
    for build, content in (("v1", disk), ("v2", changed)):
        builds[build] = make_ovf_package(directory / build, name="photon", disks={DEMO_DISK: content}, signer=signer)
    (directory / "trusted-root.pem").write_text(signer.cert_pem)
    stepwise_item = json.loads(DEMO_SEED.read_text())["library_items"][0]
    return {"ovf_v1": str(builds["v1"].ovf), "ovf_v2": str(builds["v2"].ovf), "ovf_disk": DEMO_DISK,
            "stepwise_item_id": stepwise_item["id"], "stepwise_item_name": stepwise_item["name"]}


def demo_packages(python, directory):
    """write_demo_packages, run by .venv's Python (this one may lack cryptography); returns (vars, trusted root)."""
    process = subprocess.run(
        [str(python), "-c", "import json, sys, dev; print(json.dumps(dev.write_demo_packages(sys.argv[1])))",
         str(directory)], cwd=TESTS, capture_output=True, text=True, check=False)
    if process.returncode:
        raise SystemExit("making the demo's OVF packages failed:\n%s" % process.stderr)
    return json.loads(process.stdout), Path(directory) / "trusted-root.pem"


def simulator_requests(ready):
    """The simulator's request log, from its /_simulator/requests control (over HTTPS, trusting its CA)."""
    context = ssl.create_default_context(cafile=ready["ca_file"])
    with urllib.request.urlopen(ready["url"].rstrip("/") + "/_simulator/requests", context=context, timeout=30) as answer:
        return json.loads(answer.read())


def demo():
    python = ensure_venv(requirements=DEMO_REQUIREMENTS)
    with tempfile.TemporaryDirectory(prefix="vsphere-content-demo-") as workdir:
        extra_vars, trusted_root = demo_packages(python, Path(workdir) / "templates")
        print("made photon.ovf twice, v1 and v2, whose disk differs in one byte, signed with a self-signed "
              "certificate that the simulator trusts (in a temporary directory, removed at the end)", flush=True)
        simulator, ready = start_simulator(python, DEMO_SEED, workdir, trusted_roots=[trusted_root])
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
                [str(venv_bin("ansible-playbook")), str(DEMO_PLAYBOOK), "-e", json.dumps(extra_vars)],
                cwd=ROOT, env=env, check=False,
            )
            opened = [entry for entry in simulator_requests(ready) if entry["route"] == "create_session"]
            print("the simulator's request log: %d update sessions created, by %d runs of content_library_item "
                  "and one step-by-step upload" % (len(opened), DEMO_ITEM_RUNS), flush=True)
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


def build(repository, output_path, env=None):
    """The release tarball: a copy of the checkout whose galaxy.yml names ``repository``, built into
    ``output_path``; returns its path. galaxy.yml itself names none until the canonical location is
    published (docs/development.md, "Release"), and Galaxy refuses a collection without one."""
    if not re.match(r"^https://[^/\s]+/\S+$", repository or ""):
        raise SystemExit("--repository must be the https URL of the collection's public repository, not %r"
                         % repository)
    with tempfile.TemporaryDirectory(prefix="vsphere-content-release-") as workdir:
        copy = copy_checkout(Path(workdir) / "content")
        galaxy = copy / "galaxy.yml"
        galaxy.write_text(galaxy.read_text() + "repository: %s\n" % repository)
        env = dict(env or ansible_env())
        env.pop("ANSIBLE_COLLECTIONS_PATH", None)
        run_tool([venv_bin("ansible-galaxy"), "collection", "build", copy, "--output-path", output_path, "--force"],
                 env=env)
    return Path(output_path) / ("vsphere-content-%s.tar.gz" % galaxy_version())


def lint(root=ROOT, **kwargs):
    """Plain ``ansible-lint`` in ``root``, as a user runs it in a clone: .ansible-lint sets the production
    profile, and ansible-lint installs the collection it runs in (so ANSIBLE_COLLECTIONS_PATH is left out)."""
    env = ansible_env(NO_COLOR="1")
    del env["ANSIBLE_COLLECTIONS_PATH"]
    return subprocess.run([str(venv_bin("ansible-lint")), "--nocolor"], cwd=root, env=env, check=False, **kwargs)


def sanity(pytest_args):
    """The sanity gate itself: ansible-test reads the real path of its working directory, so a symlink
    will not do; the gate copies the checkout under ansible_collections/ and runs it there."""
    return test([str(TESTS / "gates" / "test_ansible_test.py"), "-k", "sanity"] + pytest_args)


def test(pytest_args):
    python = ensure_venv()
    # Test paths among the arguments narrow the run; without any, it is the whole suite.
    narrowed = any((ROOT / arg.split("::")[0]).exists() for arg in pytest_args if not arg.startswith("-"))
    command = [str(python), "-m", "pytest"] + ([] if narrowed else [str(TESTS)])
    # On every core; each ansible-core leg is one xdist group (tests/gates/conftest.py), and skips are named.
    command += ["-rs"] + ([] if "-n" in pytest_args else ["-n", "auto", "--dist", "loadgroup"]) + list(pytest_args)
    return subprocess.run(command, cwd=ROOT, env=ansible_env(), check=False).returncode


# The fast tests: all but the gates and the functional tests marked slow (whole playbooks, tarballs, runners).
QUICK_TESTS = ("unit", "simulator_tests", "reliability", "functional")


def quick(pytest_args):
    """The inner loop: the fast tests spread over every core with pytest-xdist, then plain ansible-lint."""
    python = ensure_venv()
    command = [str(python), "-m", "pytest", "-n", "auto", "-m", "not slow"]
    command += [str(TESTS / name) for name in QUICK_TESTS] + list(pytest_args)
    tests = subprocess.run(command, cwd=ROOT, env=ansible_env(), check=False).returncode
    linted = lint().returncode
    return tests or linted


def release_build(argv):
    parser = argparse.ArgumentParser(prog="tests/dev.py build", description="Build the release tarball.")
    parser.add_argument("--repository", required=True, help="https URL of the collection's public repository")
    parser.add_argument("--output-path", default=str(ROOT), help="where the tarball goes (default: the checkout)")
    args = parser.parse_args(argv)
    ensure_venv()
    print("wrote %s" % build(args.repository, args.output_path))
    return 0


COMMANDS = ("demo", "test", "quick", "docs", "changelog", "lint", "sanity", "build")


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "demo":
        return demo()
    if argv[0] == "test":
        return test(argv[1:])
    if argv[0] == "quick":
        return quick(argv[1:])
    if argv[0] == "build":
        return release_build(argv[1:])
    if argv[0] == "sanity":
        return sanity(argv[1:])
    ensure_venv()
    if argv[0] == "lint":
        return lint().returncode
    if argv[0] == "docs":
        generate_plugin_docs(PLUGIN_DOCS)
        print("wrote %s" % PLUGIN_DOCS.relative_to(ROOT))
    else:
        release_changelog()
        print("wrote CHANGELOG.rst and changelogs/changelog.yaml for %s" % galaxy_version())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
