# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The upload scenario of the benchmark: one file PUSHed to the simulator's upload endpoint, three ways.

    (1) the module content_library_update_session_file with ``src``: its real main() in a fresh Python
        process, arguments as ANSIBLE_MODULE_ARGS, as AnsiballZ runs it on the host (it does its own add);
    (2) ``sha256sum``, then ``curl -T`` (verifying the simulator's CA), one after the other;
    (3) raw_put.py: hashlib SHA-256 in 1 MiB chunks, then one ``requests.put`` of the open file.

(2) and (3) PUT to an endpoint from an add made through the API beforehand, untimed, with the same size
and SHA-256 the module declares, so the simulator does the same work for all three. The ways run
interleaved in rounds, the order rotated each round. Every upload must end READY with the file's
SHA-256 in the simulator's state, or the benchmark stops. Each way's time is the wall time of its
process(es); peak RSS is that process's ``ru_maxrss``, from a small waiter (peak_rss.py).
"""

import hashlib
import itertools
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import dev

MIB = 1 << 20
GIB = 1 << 30
# Peak RSS is also measured at this size (or a sixteenth of --upload-size, if smaller): flat memory.
SMALL_SIZE = 64 * MIB
MODULE = "ansible_collections.vsphere.content.plugins.modules.content_library_update_session_file"
WAYS = {
    "module": "(1) the module, in a fresh Python process",
    "curl": "(2) sha256sum, then curl -T",
    "python": "(3) hashlib SHA-256, then requests.put",
}
_UNITS = {"": 1, "K": 1 << 10, "KIB": 1 << 10, "M": MIB, "MIB": MIB, "G": GIB, "GIB": GIB}


def parse_size(text):
    """Bytes from "1073741824", "64MiB", "4M" or "1G" (binary units)."""
    match = re.match(r"^\s*(\d+)\s*([A-Za-z]*)\s*$", text)
    unit = match and _UNITS.get(match.group(2).upper())
    if not unit or int(match.group(1)) < 1:
        raise ValueError("not a size: %r" % text)
    return int(match.group(1)) * unit


def add_arguments(parser):
    parser.add_argument("--upload-size", type=parse_size, default=GIB,
                        help="bytes of the uploaded file, e.g. 1GiB (the default) or 4MiB")
    parser.add_argument("--upload-rounds", type=int, default=3, help="interleaved rounds of the three uploads")
    parser.add_argument("--skip-upload", action="store_true", help="leave the upload scenario out")


def small_size(size):
    return max(1, min(SMALL_SIZE, size // 16))


def make_file(path, size, algorithm="sha256"):
    """Write ``size`` deterministic bytes to ``path`` 1 MiB at a time; return their digest (hashlib's name)."""
    block = random.Random(20261127).randbytes(MIB)
    digest = hashlib.new(algorithm)
    with open(path, "wb") as handle:
        for offset in range(0, size, MIB):
            chunk = (struct.pack(">Q", offset // MIB) + block[8:])[:size - offset]
            handle.write(chunk)
            digest.update(chunk)
    return digest.hexdigest()


def run_child(command, workdir, env=None):
    """Run ``command`` under peak_rss.py; (wall seconds, peak RSS in bytes, stdout). Stops the benchmark when
    it fails."""
    out_path, err_path, report = workdir / "child.out", workdir / "child.err", workdir / "child.json"
    waiter = [sys.executable, "-I", "-S", Path(__file__).with_name("peak_rss.py"), report]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.run([str(part) for part in waiter + list(command)], stdout=out, stderr=err, env=env,
                                 check=False)
    stdout = out_path.read_text()
    if process.returncode != 0:
        raise SystemExit("upload benchmark: %s failed (exit code %d):\n%s%s" % (
            " ".join(str(part) for part in command[:3]), process.returncode, stdout, err_path.read_text()))
    measured = json.loads(report.read_text())
    return measured["seconds"], measured["rss"], stdout


def api_client(sim):
    """The collection's client, logged in to ``sim``: for the untimed adds and clean-ups around the timed runs."""
    from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient

    client = VSphereClient(sim.host, dev.DEMO_USER, dev.DEMO_PASSWORD, port=sim.port, ca_path=sim.ca_file)
    client.login()
    return client


def connection_args(sim, **options):
    """A module's arguments: the connection to ``sim`` (its CA verified) and ``options``."""
    return dict(hostname=sim.host, port=sim.port, username=dev.DEMO_USER, password=dev.DEMO_PASSWORD,
                ca_path=sim.ca_file, **options)


def module_env():
    """The environment a module's process gets: the collection importable, no CA bundle but the one it is given."""
    env = dict(os.environ, PYTHONPATH=str(dev.collections_path()))
    env.pop("REQUESTS_CA_BUNDLE", None)
    return env


def run_module(module, args, workdir, env, profile=None):
    """A module's real main() in a fresh Python process, arguments as ANSIBLE_MODULE_ARGS (as AnsiballZ runs it),
    under cProfile when ``profile`` names the output; (wall seconds, peak RSS, its JSON result)."""
    args_file = workdir / "args.json"
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    python = [dev.venv_bin("python")]
    if profile is not None:
        python += ["-m", "cProfile", "-o", profile]
    seconds, rss, stdout = run_child(python + ["-m", module, args_file], workdir, env)
    return seconds, rss, json.loads(stdout[stdout.index("{"):])


class UploadBench:
    """The three ways against one simulator; each call uploads once, checks the result and cleans up."""

    def __init__(self, sim, workdir):
        self.sim = sim
        self.workdir = workdir
        self.session_id = sim.state.add_update_session()
        self.names = itertools.count(1)
        self.env = module_env()
        self.client = api_client(sim)

    def close(self):
        self.client.close()

    def _name(self, way):
        return "%s-%d.bin" % (way, next(self.names))

    def _add(self, name, size, digest):
        """An untimed add through the API, declaring what the module declares; the upload URI."""
        from ansible_collections.vsphere.content.plugins.module_utils.session_files import add_file

        info = add_file(self.client, self.session_id, {
            "name": name, "source_type": "PUSH", "size": size,
            "checksum_info": {"algorithm": "SHA256", "checksum": digest}})
        return info["upload_endpoint"]["uri"]

    def _check(self, name, size, digest, way):
        """The simulator holds the file READY with the right size and SHA-256; then it is removed again."""
        from ansible_collections.vsphere.content.plugins.module_utils.session_files import remove_file

        record = self.sim.session_file(self.session_id, name)
        received = (record.get("checksum_info") or {}).get("checksum")
        if record["status"] != "READY" or record.get("size") != size or received != digest:
            raise SystemExit("upload benchmark: %s left %s %s (size %s, SHA-256 %s; expected %d bytes, %s): %s" % (
                WAYS[way], name, record["status"], record.get("size"), received, size, digest,
                record.get("error_message")))
        remove_file(self.client, self.session_id, name)  # and the simulator deletes its copy

    def module_args(self, name, path):
        return connection_args(self.sim, update_session_id=self.session_id, name=name, src=str(path))

    def module(self, path, size, digest, profile=None):
        name = self._name("module")
        seconds, rss, result = run_module(MODULE, self.module_args(name, path), self.workdir, self.env, profile)
        if not result.get("changed") or result.get("bytes_uploaded") != size or result.get("failed"):
            raise SystemExit("upload benchmark: the module did not upload %s: %s" % (name, json.dumps(result)))
        self._check(name, size, digest, "module")
        return {"seconds": seconds, "rss": rss, "transfer": result["seconds"], "attempts": result.get("attempts")}

    def curl(self, path, size, digest):
        name = self._name("curl")
        uri = self._add(name, size, digest)
        hash_seconds, hash_rss, stdout = run_child(["sha256sum", path], self.workdir)
        if stdout.split()[0] != digest:
            raise SystemExit("upload benchmark: sha256sum gave %s, not %s" % (stdout.split()[0], digest))
        put_seconds, put_rss, status = run_child(
            ["curl", "--silent", "--show-error", "--fail", "--cacert", self.sim.ca_file, "--upload-file", path,
             "--output", os.devnull, "--write-out", "%{http_code}", uri], self.workdir)
        if status.strip() != "200":
            raise SystemExit("upload benchmark: curl's PUT was answered %s" % status)
        self._check(name, size, digest, "curl")
        return {"seconds": hash_seconds + put_seconds, "rss": max(hash_rss, put_rss), "checksum": hash_seconds,
                "transfer": put_seconds}

    def python(self, path, size, digest):
        name = self._name("python")
        uri = self._add(name, size, digest)
        seconds, rss, stdout = run_child([dev.venv_bin("python"), Path(__file__).with_name("raw_put.py"), path, uri,
                                          self.sim.ca_file], self.workdir)
        result = json.loads(stdout)
        if result["digests"] != [digest]:
            raise SystemExit("upload benchmark: raw_put.py computed %s, not %s" % (result["digests"], digest))
        self._check(name, size, digest, "python")
        return {"seconds": seconds, "rss": rss, "checksum": result["hash_seconds"], "transfer": result["put_seconds"]}

    def adhoc(self, path, size, digest):
        """One run through ``ansible localhost -m``: the module with the controller's start-up around it."""
        name = self._name("adhoc")
        args = json.dumps(self.module_args(name, path))
        seconds, _rss, stdout = run_child(
            [dev.venv_bin("ansible"), "localhost", "-m", "vsphere.content.content_library_update_session_file",
             "-a", args], self.workdir, dev.ansible_env())
        if "CHANGED" not in stdout:
            raise SystemExit("upload benchmark: ansible localhost -m did not upload %s:\n%s" % (name, stdout))
        self._check(name, size, digest, "module")
        return seconds


def interleave(what, rounds, ways, run, size):
    """``run(way)`` for each way once a round, the order rotated each round so that the machine's ups and downs
    hit every way alike, each after the disks have caught up; {way: [its runs]}. Each run is printed as it ends, with ``size`` bytes for the rate."""
    runs = {way: [] for way in ways}
    for round_index in range(rounds):
        for way in ways[round_index % len(ways):] + ways[:round_index % len(ways)]:
            # Untimed: no way pays for writing back what the one before it left unwritten (curl does not fsync).
            os.sync()
            result = run(way)
            runs[way].append(result)
            print("%s round %d/%d  %-7s %6.2f s  %7.1f MiB/s  peak RSS %.0f MiB" % (
                what, round_index + 1, rounds, way, result["seconds"], size / MIB / result["seconds"],
                result["rss"] / MIB), flush=True)
    return runs


def measure(args, workdir):
    """Run the scenario; a dict of everything the page and the chart show."""
    import upload_report
    from vcenter_simulator import VCenterSimulator

    found = begin("upload", args, ("sha256sum", "curl"))
    workdir = Path(workdir)
    size, small = found["size"], found["small_size"]
    files = {}
    for label, file_size in (("full", size), ("small", small)):
        started = time.perf_counter()
        path = workdir / ("upload-%s.bin" % label)
        files[label] = (path, file_size, make_file(path, file_size))
        print("upload: made %s (%d bytes) in %.1f s" % (path.name, file_size, time.perf_counter() - started),
              flush=True)
    # No added latency: uploads go at loopback speed, and the module's few API calls cost what loopback costs.
    with VCenterSimulator(session_expiry=24 * 3600) as sim:
        bench = UploadBench(sim, workdir)
        try:
            found["runs"] = interleave("upload", args.upload_rounds, list(WAYS),
                                       lambda way: getattr(bench, way)(*files["full"]), size)
            for way in WAYS:
                found["small"][way] = getattr(bench, way)(*files["small"])
            found["adhoc"] = bench.adhoc(*files["full"])
            print("upload: ansible localhost -m took %.2f s" % found["adhoc"], flush=True)
            profile = workdir / "module.prof"
            found["profiled"] = bench.module(*files["full"], profile=profile)
            found["profile_summary"] = upload_report.profile_summary(profile, found["profiled"]["seconds"])
        finally:
            bench.close()
        violations = list(sim.violations)
    found["tools"] = tool_versions()
    return finish("upload", violations, found, workdir)


def begin(what, args, tools):
    """The start of scenario ``what`` (its options ``--WHAT-size`` and ``--WHAT-rounds``): it stops when a tool of
    its baselines is missing, else returns the dict it fills, with the load average now."""
    for tool in tools:
        if shutil.which(tool) is None:
            raise SystemExit("%s benchmark: %s is not installed (or pass --skip-%s)" % (what, tool, what))
    size = getattr(args, what + "_size")
    return {"size": size, "small_size": small_size(size), "rounds": getattr(args, what + "_rounds"), "small": {},
            "load": [os.getloadavg()[0]]}


def finish(what, violations, found, workdir):
    """Stop on any spec violation the simulator saw; else add the load average at the end and the floor of
    peak RSS (what peak_rss.py reports for ``true``)."""
    if violations:
        raise SystemExit("%s benchmark: the simulator saw spec violations:\n%s" % (what, "\n".join(violations)))
    found["load"].append(os.getloadavg()[0])
    found["rss_floor"] = run_child(["true"], workdir)[1]
    return found


def tool_versions():
    def first_line(command):
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.splitlines()[0]

    curl = first_line(["curl", "--version"]).split()
    curl = " ".join(curl[:2] + [part for part in curl if part.startswith(("libcurl/", "OpenSSL/"))])
    return {"sha256sum": first_line(["sha256sum", "--version"]), "sha1sum": first_line(["sha1sum", "--version"]),
            "curl": curl,
            "python": sys.version.split()[0]}
