# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The item scenario of the benchmark: an OVF package of three disks put into a library item, then put again.

    (A) the module content_library_item with ``src`` the package's .ovf: its real main() in a fresh Python
        process (as upload.py runs the file module), into a new item each round, so that every round
        uploads every file: .mf, .cert, .ovf, then the disks, in one update session it opens and completes;
    (B) raw_put.py with ``--algorithm sha1``: SHA-1 and one ``requests.put`` per file, the same files in the
        same order, all in one process, to endpoints from adds made through the API beforehand (untimed), in
        a session on an item made for it; the sum of the raw PUTs, with one start-up as (A) has;
    (C) the module again on an item that already holds the package: the idempotent re-run, which hashes
        every file once (SHA-1) and compares; it must open no update session;
    (D) ``sha1sum`` of the same files, in one process.

The package is signed with a fresh self-signed certificate, as ovftool signs one, so the preview raises
SELF_SIGNED_CERTIFICATE and UNTRUSTED_CERTIFICATE; (A) ignores both with ``warning_behavior``, as the module's
first example does. The certificate costs the simulator no hashing of the disks, so (A) and (B) make it
receive the same bytes the same way (SHA-1 declared, SHA-1 computed). The ways run interleaved in rounds,
the order rotated each round. After (A) the item must hold every stored file with its size and SHA-1, after
(B) the session every file READY with its SHA-1, or the benchmark stops; then they are deleted, untimed.
"""

import itertools
import json
import time
from pathlib import Path

import dev
from ovf_package import make_ovf_package
from upload import (GIB, api_client, begin, connection_args, finish, interleave, module_env, parse_size, run_child,
                    run_module)

MODULE = "ansible_collections.vsphere.content.plugins.modules.content_library_item"
LIBRARY = "benchmark"
DISKS = 3
WARNINGS = [{"type": "SELF_SIGNED_CERTIFICATE"}, {"type": "UNTRUSTED_CERTIFICATE"}]
WAYS = {
    "module": "(A) the module, a new item",
    "raw": "(B) SHA-1, then a raw PUT per file",
    "rerun": "(C) the module again, unchanged",
    "sha1sum": "(D) sha1sum of the same files",
}


def add_arguments(parser):
    parser.add_argument("--item-size", type=parse_size, default=GIB,
                        help="bytes of the item scenario's %d disks together, e.g. 1GiB (the default)" % DISKS)
    parser.add_argument("--item-rounds", type=int, default=3, help="interleaved rounds of the item scenario")
    parser.add_argument("--skip-item", action="store_true", help="leave the item scenario out")


def make_package(directory, total, signer="self-signed"):
    """An OVF package (signed, by default) whose three disks hold ``total`` bytes together (the last takes the
    remainder)."""
    part = total // DISKS
    sizes = [part] * (DISKS - 1) + [total - part * (DISKS - 1)]
    disks = {"bench-disk%d.vmdk" % (index + 1): size for index, size in enumerate(sizes)}
    return make_ovf_package(directory, name="bench", disks=disks, signer=signer)


class ItemBench:
    """The four ways against one simulator; each call runs once, checks the result and cleans up."""

    def __init__(self, sim, workdir):
        self.sim = sim
        self.workdir = workdir
        self.library_id = sim.state.add_library(name=LIBRARY)
        self.names = itertools.count(1)
        self.rerun_items = {}  # package directory -> the name of its item for (C)
        self.env = module_env()
        self.client = api_client(sim)

    def close(self):
        self.client.close()

    def _run_module(self, package, name, profile):
        args = connection_args(self.sim, library_name=LIBRARY, name=name, src=str(package.ovf),
                               warning_behavior=WARNINGS)
        self.sim.clear_log()
        seconds, rss, result = run_module(MODULE, args, self.workdir, self.env, profile)
        if result.get("failed"):
            raise SystemExit("item benchmark: the module failed on %s: %s" % (name, result.get("msg")))
        return {"seconds": seconds, "rss": rss}, result

    def _item(self, name):
        with self.sim.state.lock:
            found = [item_id for item_id, item in self.sim.state.items.items() if item["name"] == name]
        if len(found) != 1:
            raise SystemExit("item benchmark: %d items are named %s" % (len(found), name))
        return found[0]

    def _check_item(self, package, item_id):
        """The item holds the package's stored files (.ovf and disks; vCenter keeps no .mf or .cert), each with
        its size and SHA-1."""
        with self.sim.state.lock:
            held = {name: (record["size"], (record.get("checksum_info") or {}).get("checksum"))
                    for name, record in self.sim.state.items[item_id]["files"].items()}
        expected = {name: (entry.size, entry.sha1) for name, entry in package.files.items()
                    if not name.endswith((".mf", ".cert"))}
        if held != expected:
            raise SystemExit("item benchmark: item %s holds %s, not %s" % (item_id, held, expected))

    def module(self, package, profile=None):
        name = "item-%d" % next(self.names)
        run, result = self._run_module(package, name, profile)
        if not result.get("changed") or sorted(result.get("uploaded") or ()) != sorted(package.files):
            raise SystemExit("item benchmark: the module did not upload all of %s: %s" % (name, result))
        item_id = self._item(name)
        self._check_item(package, item_id)
        self.sim.state.delete_library_item(item_id)  # and the simulator deletes its copies
        return run

    def prepare_rerun(self, package):
        """The item (C) runs on: put in place once by the module, untimed."""
        name = self.rerun_items[package.directory] = "rerun-%d" % next(self.names)
        self._run_module(package, name, None)
        self._check_item(package, self._item(name))

    def rerun(self, package, profile=None):
        name = self.rerun_items[package.directory]
        run, result = self._run_module(package, name, profile)
        opened = self.sim.calls("POST", "create_session") + self.sim.calls("PUT", "upload")
        if result.get("changed") or result.get("uploaded") or opened:
            raise SystemExit("item benchmark: the re-run on %s was not idempotent (%d sessions or uploads): %s"
                             % (name, len(opened), result))
        return run

    def raw(self, package):
        """(B): adds on a session of a new item, untimed; then raw_put.py PUTs every file in one process."""
        from ansible_collections.vsphere.content.plugins.module_utils.session_files import add_file

        item_id = self.sim.state.add_library_item(library_id=self.library_id, type="ovf",
                                                  name="raw-%d" % next(self.names))
        session_id = self.sim.state.add_update_session(library_item_id=item_id)
        pairs = []
        for path in package.paths:
            entry = package.files[path.name]
            info = add_file(self.client, session_id, {
                "name": entry.name, "source_type": "PUSH", "size": entry.size,
                "checksum_info": {"algorithm": "SHA1", "checksum": entry.sha1}})
            pairs += [path, info["upload_endpoint"]["uri"]]
        seconds, rss, stdout = run_child(
            [dev.venv_bin("python"), Path(__file__).with_name("raw_put.py"), "--algorithm", "sha1",
             pairs[0], pairs[1], self.sim.ca_file] + pairs[2:], self.workdir)
        result = json.loads(stdout)
        if result["digests"] != [package.files[path.name].sha1 for path in package.paths]:
            raise SystemExit("item benchmark: raw_put.py computed %s" % result["digests"])
        for path in package.paths:
            record = self.sim.session_file(session_id, path.name)
            entry = package.files[path.name]
            if record["status"] != "READY" or record["size"] != entry.size or record["sha1"] != entry.sha1:
                raise SystemExit("item benchmark: (B) left %s %s (size %s, SHA-1 %s): %s" % (
                    path.name, record["status"], record["size"], record["sha1"], record.get("error_message")))
        self.sim.state.delete_library_item(item_id)  # with its session and the received files
        return {"seconds": seconds, "rss": rss, "checksum": result["hash_seconds"], "transfer": result["put_seconds"]}

    def sha1sum(self, package):
        seconds, rss, stdout = run_child(["sha1sum"] + list(package.paths), self.workdir)
        digests = dict(reversed(line.split(None, 1)) for line in stdout.splitlines())
        expected = {str(path): package.files[path.name].sha1 for path in package.paths}
        if digests != expected:
            raise SystemExit("item benchmark: sha1sum gave %s, not %s" % (digests, expected))
        return {"seconds": seconds, "rss": rss}


def measure(args, workdir):
    """Run the scenario; a dict of everything the page and the chart show."""
    from vcenter_simulator import VCenterSimulator

    found = begin("item", args, ("sha1sum",))
    workdir = Path(workdir)
    size, small = found["size"], found["small_size"]
    packages = {}
    for label, total in (("full", size), ("small", small)):
        started = time.perf_counter()
        packages[label] = make_package(workdir / ("item-" + label), total)
        print("item: made the %s package (%d bytes of disks) in %.1f s" % (label, total, time.perf_counter() - started),
              flush=True)
    full = packages["full"]
    found.update(bytes=sum(entry.size for entry in full.files.values()), files=[path.name for path in full.paths])
    # No added latency, as in the upload scenario: the bytes and the module's own work are what is measured.
    with VCenterSimulator(session_expiry=24 * 3600) as sim:
        bench = ItemBench(sim, workdir)
        try:
            for package in packages.values():
                bench.prepare_rerun(package)
            found["runs"] = interleave("item", args.item_rounds, list(WAYS), lambda way: getattr(bench, way)(full),
                                       found["bytes"])
            for way in WAYS:
                found["small"][way] = getattr(bench, way)(packages["small"])
            found["profiles"] = {way: _profiled(workdir, way, getattr(bench, way), full) for way in ("module", "rerun")}
        finally:
            bench.close()
        violations = list(sim.violations)
    found["sha1sum"] = run_child(["sha1sum", "--version"], workdir)[2].splitlines()[0]
    return finish("item", violations, found, workdir)


def _profiled(workdir, way, run, package):
    """One more run of ``way`` under cProfile: where its time goes."""
    import upload_report
    from item_report import PROFILE_ROWS

    profile = workdir / ("item-%s.prof" % way)
    return upload_report.profile_summary(profile, run(package, profile=profile)["seconds"], PROFILE_ROWS)
