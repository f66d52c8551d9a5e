# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reliability report's figures, and a real proxy process for the proxy tests."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import dev

REPORT = dev.ROOT / "docs" / "reliability.md"
# Where each pytest process (one, or each xdist worker) leaves its figures for the one that renders the page;
# tests/conftest.py sets it before any worker starts, so that all of them share it.
FIGURES_DIR_VARIABLE = "VSPHERE_CONTENT_RELIABILITY_FIGURES"
# Every test module that contributes, so a partial run (-k, -x) never writes a partial report.
SECTIONS = ("faults", "transport", "soak", "playbook_soak", "concurrency", "hostile", "fuzz", "properties",
            "secrets", "tls", "proxies")


class Figures:
    """Counts (``add``, summed across processes) and values (``set``, each set by one test module)."""

    def __init__(self):
        self.sections = set()
        self.counts = {}
        self.values = {}

    def add(self, section, key, amount=1):
        self.sections.add(section)
        self.counts[key] = self.counts.get(key, 0) + amount

    def set(self, section, key, value):
        self.sections.add(section)
        self.values[key] = value

    def get(self, key, default=0):
        return self.values[key] if key in self.values else self.counts.get(key, default)

    def save(self, directory, name):
        """Leave these figures in ``directory`` as ``name``.json."""
        path = Path(directory) / ("%s.json" % name)
        path.write_text(json.dumps({"sections": sorted(self.sections), "counts": self.counts, "values": self.values}))

    @classmethod
    def merged(cls, directory):
        """The figures every process left in ``directory``, summed."""
        total = cls()
        for path in sorted(Path(directory).glob("*.json")):
            part = json.loads(path.read_text())
            total.sections.update(part["sections"])
            for key, amount in part["counts"].items():
                total.counts[key] = total.counts.get(key, 0) + amount
            total.values.update(part["values"])
        return total


def write_report(directory):
    """Render docs/reliability.md from the figures in ``directory`` once every section is there."""
    figures = Figures.merged(directory)
    if not set(SECTIONS) <= figures.sections:
        return
    text = render(figures)
    if not REPORT.exists() or REPORT.read_text() != text:
        REPORT.write_text(text)


def figures_dir():
    return os.environ.get(FIGURES_DIR_VARIABLE)


def render(figures):
    value = figures.get
    soak_kinds = "\n".join(
        "| %s | %d | %d | %s |" % (kind, value("soak.injected." + kind), value("soak.triggered." + kind), outcome)
        for kind, outcome in sorted(value("soak.kinds", {}).items())
    )
    return """# Reliability and security figures

Written by the test suite (`python3 tests/dev.py test`, from `tests/reliability/`) when all of
it passes; do not edit by hand. Every random input is seeded, so a fresh clone writes this
file byte for byte again unless the collection's behaviour changed.

## Summary

| figure | value |
|---|---|
| fault-injection scenarios, each asserting the module result and the exact request sequence | {scenarios} |
| injected faults survived (the run still reached the requested state) | {survived} |
| runs that an injected fault or an unusable answer ended with a clear one-sentence failure | {failed_clearly} |
| module runs in the in-process soak (seed {seed}) | {soak_runs} |
| module runs in the `ansible-playbook` soak (one host each, forks 4) | {playbook_runs} |
| forks updating one session at once (ansible-playbook -f 8) | {forks} |
| API sessions logged in across the soaks and concurrency runs | {logins} |
| API sessions left logged in | {leaked} |
| tracebacks | {tracebacks} |
| hostile identifiers, host names and proxy hosts tried | {hostile} |
| requests sent for a hostile identifier that was not quoted whole into one path segment | {hostile_escapes} |
| fuzzed option sets run through the real module (hypothesis, derandomized) | {fuzz_runs} |
| of which invalid / requests sent for an invalid one | {fuzz_invalid} / {fuzz_leaks} |
| property-test examples for normalise, compare and plan | {properties} |
| places searched for secrets (results, exceptions, warnings, -vvvv output, files) / secrets found | {secret_places} / {secrets_found} |
| TLS and proxy scenarios | {tls_proxy} |

## Soak

{soak_runs} runs of `content_library_update_session` in-process against the simulator, each
with up to two faults drawn at random (seed {seed}): {soak_ok} reached the requested state,
{soak_failed} failed with a clear one-line message naming the host and port, and {soak_applied_then_failed}
of those had already applied their change when a later call failed (the simulator's state was
checked against that too). Afterwards the simulator's state equalled the model built from the
runs, and no API session was left logged in.

| fault | injected | triggered | expected outcome |
|---|---|---|---|
{soak_kinds}
""".format(
        scenarios=value("faults.scenarios"),
        survived=value("faults.survived") + value("soak.survived") + value("playbook_soak.survived"),
        failed_clearly=value("faults.failed_clearly") + value("soak.failed_clearly")
        + value("playbook_soak.failed_clearly") + value("transport.failed_clearly"),
        seed=value("soak.seed"),
        soak_runs=value("soak.runs"),
        playbook_runs=value("playbook_soak.runs"),
        forks=value("concurrency.forks"),
        logins=value("soak.logins") + value("playbook_soak.logins") + value("concurrency.logins"),
        leaked=value("soak.leaked") + value("playbook_soak.leaked") + value("concurrency.leaked"),
        tracebacks=value("soak.tracebacks") + value("playbook_soak.tracebacks") + value("fuzz.tracebacks"),
        hostile=value("hostile.inputs"),
        hostile_escapes=value("hostile.escapes"),
        fuzz_runs=value("fuzz.runs"),
        fuzz_invalid=value("fuzz.invalid"),
        fuzz_leaks=value("fuzz.leaks"),
        properties=value("properties.examples"),
        secret_places=value("secrets.places"),
        secrets_found=value("secrets.found"),
        tls_proxy=value("tls.scenarios") + value("proxies.scenarios"),
        soak_ok=value("soak.ok"),
        soak_failed=value("soak.failed"),
        soak_applied_then_failed=value("soak.applied_then_failed"),
        soak_kinds=soak_kinds,
    )


class ProxyProcess:
    """A real proxy.py process on 127.0.0.1 whose access log shows every CONNECT."""

    def __init__(self, workdir, cert_file=None, key_file=None):
        self.log = workdir / "proxy.log"
        port_file = workdir / "proxy.port"
        command = [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", "0",
                   "--port-file", str(port_file), "--num-acceptors", "1", "--num-workers", "1", "--threaded",
                   "--log-level", "INFO", "--log-file", str(self.log)]
        if cert_file:
            command += ["--cert-file", str(cert_file), "--key-file", str(key_file)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("proxy.py did not start")
            time.sleep(0.05)
        self.port = int(port_file.read_text().split()[0])
        self._seen = 0

    def _lines(self):
        return self.log.read_text().splitlines() if self.log.exists() else []

    def forget_earlier_tunnels(self):
        """Count only tunnels logged from now on: one proxy serves several tests, and a later simulator
        may be given the port an earlier one had."""
        self._seen = len(self._lines())

    def connects(self, target_port, expected=1, wait=20.0):
        """The CONNECT lines for 127.0.0.1:target_port; waits until ``expected`` are logged.

        proxy.py logs a tunnel when it closes, so the line may come a moment after the call.
        """
        marker = "CONNECT 127.0.0.1:%d " % target_port
        deadline = time.monotonic() + wait
        while True:
            lines = [line for line in self._lines()[self._seen:] if marker in line]
            if len(lines) >= expected or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
