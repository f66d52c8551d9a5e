# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: the collection on sys.path and the simulator (helpers.py runs modules in-process)."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

import dev  # noqa: E402  (needs the path above)

if not any(Path(entry, "ansible_collections", "vsphere", "content").exists() for entry in sys.path if entry):
    sys.path.insert(0, str(dev.collections_path()))

from vcenter_simulator import VCenterSimulator  # noqa: E402
from vcenter_simulator.file_source import FileSource  # noqa: E402


def _reliability_support():
    sys.path.insert(0, str(TESTS / "reliability"))
    import reliability_support

    return reliability_support


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs whole playbooks, tarballs or runners; tests/dev.py quick skips it")
    # In the process that runs the session (not an xdist worker), before any worker starts: every process
    # leaves its reliability figures in this directory, named by an inherited environment variable.
    variable = _reliability_support().FIGURES_DIR_VARIABLE
    if not hasattr(config, "workerinput") and variable not in os.environ:
        os.environ[variable] = tempfile.mkdtemp(prefix="vsphere-content-figures-")
        config.owns_reliability_figures = True


def pytest_sessionfinish(session, exitstatus):
    """Once every process is done, and everything passed: docs/reliability.md from all their figures."""
    if not getattr(session.config, "owns_reliability_figures", False):
        return
    support = _reliability_support()
    directory = os.environ.pop(support.FIGURES_DIR_VARIABLE)
    try:
        if exitstatus == 0:
            support.write_report(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def simulator(request):
    """A fresh simulator per test. Any spec violation it saw fails the test.

    Parametrize it indirectly with an API version, or with a dict of VCenterSimulator arguments
    (e.g. ``{"upload_port": "separate"}``).
    """
    param = getattr(request, "param", "8.0.2")
    with VCenterSimulator(**(dict(param) if isinstance(param, dict) else {"api_version": param})) as sim:
        yield sim
        violations = list(sim.violations)
    assert not violations, "the simulator saw spec violations:\n" + "\n".join(violations)


@pytest.fixture
def file_source():
    """Loopback file servers that PULL fetches from: ``file_source()`` serves HTTP, ``file_source(tls=True)``
    HTTPS with a CA of its own (``.ca_file``, ``.thumbprint``). ``.add(name, bytes or path)`` returns a URL."""
    started = []

    def start(tls=False):
        started.append(FileSource(tls=tls).start())
        return started[-1]

    yield start
    for source in started:
        source.stop()


@pytest.fixture
def trusted_simulator(simulator, monkeypatch):
    """The simulator with its CA trusted the way users trust a private CA today."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", simulator.ca_file)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    for name in ("VMWARE_HOST", "VMWARE_USER", "VMWARE_PASSWORD", "VMWARE_PORT", "VMWARE_VALIDATE_CERTS",
                 "VMWARE_CA_PATH", "VMWARE_PROXY_HOST", "VMWARE_PROXY_PORT",
                 "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return simulator


@pytest.fixture(scope="session")
def collection_tarball(tmp_path_factory):
    """The tarball that `ansible-galaxy collection build` makes from this checkout."""
    output = tmp_path_factory.mktemp("build")
    env = dev.ansible_env()
    env.pop("ANSIBLE_COLLECTIONS_PATH")
    subprocess.run([str(dev.venv_bin("ansible-galaxy")), "collection", "build", str(dev.ROOT), "--output-path",
                    str(output)], check=True, capture_output=True, env=env)
    return output / ("vsphere-content-%s.tar.gz" % dev.galaxy_version())
