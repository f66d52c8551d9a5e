# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The download scenario of the benchmark: a library item's files written into a directory, against curl.

    (1) the module content_library_item_download of an item of one file (type iso) into an empty directory: its
        real main() in a fresh Python process (as upload.py runs the upload module). It logs in, finds the item,
        lists its files, opens a download session, prepares the file, streams it into a temporary file while
        hashing SHA-1, verifies, fsyncs and renames it, deletes the session and logs out;
    (2) ``curl -o`` of the same file from a download URI of a session prepared through the API beforehand
        (untimed), then ``sha1sum`` of what it wrote;
    (3) the module with an OVF item, a descriptor and three disks holding SIZE together, into an empty directory;
    (4) one ``curl`` with an ``-o`` per file of (3), then one ``sha1sum`` of them all;
    (5) the module again into a directory that already holds (3)'s files: it hashes each one and opens no session;
    (6) ``sha1sum`` of those files;
    (7) (1) with the stream cut hard at half the file (``reset_after``), the endpoint honouring Range: the module
        resumes with ``Range: bytes=N-`` after its ``retry_backoff`` (1 s by default, left as it is);

The items' content is deterministic bytes streamed into a temporary directory once, and seeded into the simulator
by path, so neither the simulator nor the benchmark holds it in memory. The ways run interleaved in rounds, the
order rotated each round; each download goes into a new directory, removed after the run. After a run of the
module its result must name every file with the item's size and SHA-1, the files must be there with those sizes,
and no download session may be left; curl's files must hash to the item's SHA-1; else the benchmark stops.
"""

import itertools
import os
import shutil
import time
import uuid
from collections import namedtuple
from pathlib import Path

from download_support import downloads
from item_upload import DISKS, make_package
from ovf_package import PackageFile
from upload import (GIB, api_client, begin, connection_args, finish, interleave, make_file, module_env, parse_size,
                    run_child, run_module, tool_versions)

MODULE = "ansible_collections.vsphere.content.plugins.modules.content_library_item_download"
LIBRARY = "downloads"
WAYS = {
    "module": "(1) the module, one file",
    "curl": "(2) curl -o, then sha1sum",
    "ovf": "(3) the module, an OVF item of %d disks" % DISKS,
    "ovf_curl": "(4) curl -o of each file, then sha1sum",
    "rerun": "(5) the module again, unchanged",
    "sha1sum": "(6) sha1sum of the local files",
    "resume": "(7) the module, broken at the half, resumed",
}
# Which item each way reads: "file" (one file of SIZE) or "ovf" (a descriptor and the disks).
ITEM_OF = {"module": "file", "curl": "file", "ovf": "ovf", "ovf_curl": "ovf", "rerun": "ovf",
           "sha1sum": "ovf", "resume": "file"}
# A stream cut at this fraction of the file: the resume must then fetch little more than the rest.
BREAK_AT = 0.5

Item = namedtuple("Item", "item_id name files")


def add_arguments(parser):
    parser.add_argument("--download-size", type=parse_size, default=GIB,
                        help="bytes of the download scenario's file, and of its OVF item's %d disks together, e.g. "
                             "1GiB (the default)" % DISKS)
    parser.add_argument("--download-rounds", type=int, default=3, help="interleaved rounds of the download scenario")
    parser.add_argument("--skip-download", action="store_true", help="leave the download scenario out")


def make_items(sim, library_id, directory, size):
    """An item of one file of ``size`` bytes and an OVF item whose disks hold ``size`` together, their content in
    ``directory``, seeded by path with its size and SHA-1 (as vCenter reports them); {"file": Item, "ovf": Item}."""
    directory.mkdir()
    iso = directory / "bench.iso"
    single = PackageFile(iso.name, iso, size, sha256="", sha1=make_file(iso, size, "sha1"))
    package = make_package(directory / "ovf", size, signer=None)
    kept = [package.files[name] for name in [package.ovf.name] + list(package.referenced)]  # no .mf, as vCenter
    items = {}
    for kind, item_type, files in (("file", "iso", [single]), ("ovf", "ovf", kept)):
        name = "%s-%s" % (directory.name, kind)
        item_id = sim.state.add_library_item(library_id=library_id, name=name, type=item_type, files=[
            {"name": entry.name, "path": str(entry.path), "size": entry.size, "checksum": entry.sha1}
            for entry in files])
        items[kind] = Item(item_id, name, tuple(files))
    return items


class DownloadBench:
    """The eight ways against one simulator; each call runs once on an Item, checks the result and cleans up."""

    def __init__(self, sim, workdir):
        self.sim = sim
        self.workdir = workdir
        self.dests = itertools.count(1)
        self.rerun_dests = {}  # item id -> the directory (5) runs on
        self.env = module_env()
        self.client = api_client(sim)

    def close(self):
        self.client.close()

    def _dest(self):
        return self.workdir / ("dest-%d" % next(self.dests))

    def _run_module(self, item, dest, profile=None):
        self.sim.clear_log()
        args = connection_args(self.sim, library_name=LIBRARY, name=item.name, dest=str(dest))
        seconds, rss, result = run_module(MODULE, args, self.workdir, self.env, profile)
        if result.get("failed"):
            raise SystemExit("download benchmark: the module failed on %s: %s" % (item.name, result.get("msg")))
        with self.sim.state.lock:
            left = sorted(self.sim.state.download_sessions)
        if left:
            raise SystemExit("download benchmark: the module left download sessions %s" % left)
        return {"seconds": seconds, "rss": rss, "transfer": result["seconds"]}, result

    def _fetched(self, item, dest, profile=None):
        """The module into ``dest``, which it must fill with every file of ``item``; (run, result)."""
        run, result = self._run_module(item, dest, profile)
        expected = {entry.name: (entry.size, "SHA1:" + entry.sha1) for entry in item.files}
        reported = {entry["name"]: (entry["size"], entry["checksum"]) for entry in result["files"]}
        held = {name: os.path.getsize(dest / name) for name in os.listdir(dest)}
        if (not result.get("changed") or result["downloaded"] != [entry.name for entry in item.files]
                or reported != expected or held != {entry.name: entry.size for entry in item.files}):
            raise SystemExit("download benchmark: the module did not fetch %s into %s (it holds %s): %s"
                             % (item.name, dest, held, result))
        return run, result

    def _whole(self, item, profile=None):
        """(1) and (3): every file fetched once, each in one GET."""
        dest = self._dest()
        try:
            run, result = self._fetched(item, dest, profile)
        finally:
            shutil.rmtree(dest, ignore_errors=True)
        total = sum(entry.size for entry in item.files)
        if result["bytes_downloaded"] != total or len(downloads(self.sim)) != len(item.files):
            raise SystemExit("download benchmark: %s took %d GETs and %d bytes, not %d and %d"
                             % (item.name, len(downloads(self.sim)), result["bytes_downloaded"], len(item.files),
                                total))
        return run

    module = ovf = _whole

    def _uris(self, item):
        """A download session on ``item`` with every file PREPARED, made through the API: (its id, {name: URI})."""
        from ansible_collections.vsphere.content.plugins.module_utils.download_sessions import (
            create_download_session,
            get_file,
            prepare_file,
        )

        session_id = create_download_session(self.client, item.item_id, str(uuid.uuid4()))
        uris = {}
        for entry in item.files:
            info = prepare_file(self.client, session_id, entry.name)
            deadline = time.monotonic() + 10
            while info.get("status") != "PREPARED":
                if time.monotonic() > deadline:
                    raise SystemExit("download benchmark: %s was not PREPARED: %s" % (entry.name, info))
                time.sleep(0.01)
                info = get_file(self.client, session_id, entry.name)
            uris[entry.name] = info["download_endpoint"]["uri"]
        return session_id, uris

    def _sha1sum(self, item, directory):
        seconds, rss, stdout = run_child(["sha1sum"] + [directory / entry.name for entry in item.files], self.workdir)
        digests = dict(reversed(line.split(None, 1)) for line in stdout.splitlines())
        expected = {str(directory / entry.name): entry.sha1 for entry in item.files}
        if digests != expected:
            raise SystemExit("download benchmark: sha1sum gave %s, not %s" % (digests, expected))
        return seconds, rss

    def _curl(self, item):
        """(2) and (4): one curl process writes every file, then one sha1sum hashes them."""
        from ansible_collections.vsphere.content.plugins.module_utils.download_sessions import delete_download_session

        session_id, uris = self._uris(item)
        dest = self._dest()
        dest.mkdir()
        command = ["curl", "--silent", "--show-error", "--fail", "--cacert", self.sim.ca_file]
        for entry in item.files:
            command += ["--output", dest / entry.name, uris[entry.name]]
        try:
            get_seconds, get_rss, _stdout = run_child(command, self.workdir)
            hash_seconds, hash_rss = self._sha1sum(item, dest)
        finally:
            shutil.rmtree(dest, ignore_errors=True)
            delete_download_session(self.client, session_id)
        return {"seconds": get_seconds + hash_seconds, "rss": max(get_rss, hash_rss), "transfer": get_seconds,
                "checksum": hash_seconds}

    curl = ovf_curl = _curl

    def prepare_rerun(self, item):
        """The directory (5) runs on: filled once by the module, untimed."""
        dest = self.rerun_dests[item.item_id] = self._dest()
        self._fetched(item, dest)

    def rerun(self, item, profile=None):
        run, result = self._run_module(item, self.rerun_dests[item.item_id], profile)
        opened = self.sim.calls("POST", "create_download_session") + downloads(self.sim)
        if result.get("changed") or result["downloaded"] or result["bytes_downloaded"] or opened:
            raise SystemExit("download benchmark: the re-run on %s was not idempotent (%d requests): %s"
                             % (item.name, len(opened), result))
        return run

    def sha1sum(self, item):
        seconds, rss = self._sha1sum(item, self.rerun_dests[item.item_id])
        return {"seconds": seconds, "rss": rss}

    def resume(self, item):
        """(7): the first GET is cut after half the file; what came over the wire after the break is the rest of
        ``bytes_downloaded`` (the module's count) once the bytes the endpoint sent before it are taken off."""
        size = item.files[0].size
        self.sim.inject_fault(method="GET", path=r"/cls/data/", reset_after=int(size * BREAK_AT))
        dest = self._dest()
        try:
            run, result = self._fetched(item, dest)
        finally:
            self.sim.clear_faults()
            shutil.rmtree(dest, ignore_errors=True)
        gets = downloads(self.sim)
        if len(gets) < 2:
            raise SystemExit("download benchmark: the stream of %s was not broken: %s" % (item.name, gets))
        before = gets[0]["bytes_sent"]
        return dict(run, size=size, before=before, after=result["bytes_downloaded"] - before,
                    sent_after=sum(get["bytes_sent"] for get in gets[1:]),
                    gets=[(get["range"], get["status"]) for get in gets[1:]])


def measure(args, workdir):
    """Run the scenario; a dict of everything the page and the chart show."""
    from vcenter_simulator import VCenterSimulator

    found = begin("download", args, ("sha1sum", "curl"))
    workdir, size = Path(workdir), found["size"]
    # No added latency, as in the upload scenario: the bytes and the module's own work are what is measured.
    with VCenterSimulator(session_expiry=24 * 3600) as sim:
        items, library_id = {}, sim.state.add_library(name=LIBRARY)
        for label, total in (("full", size), ("small", found["small_size"])):
            started = time.perf_counter()
            items[label] = make_items(sim, library_id, workdir / label, total)
            print("download: made the %s items (2 x %d bytes) in %.1f s"
                  % (label, total, time.perf_counter() - started), flush=True)
        full = items["full"]
        found["bytes"] = {kind: sum(entry.size for entry in item.files) for kind, item in full.items()}
        found["files"] = [entry.name for entry in full["ovf"].files]
        bench = DownloadBench(sim, workdir)
        try:
            for group in items.values():
                bench.prepare_rerun(group["ovf"])
            found["runs"] = interleave("download", args.download_rounds, list(WAYS),
                                       lambda way: getattr(bench, way)(full[ITEM_OF[way]]), size)
            for way in WAYS:
                found["small"][way] = getattr(bench, way)(items["small"][ITEM_OF[way]])
            found["profiles"] = {way: _profiled(workdir, way, getattr(bench, way), full[ITEM_OF[way]])
                                 for way in ("module", "ovf", "rerun")}
        finally:
            bench.close()
        violations = list(sim.violations)
    found["tools"] = tool_versions()
    return finish("download", violations, found, workdir)


def _profiled(workdir, way, run, item):
    """One more run of ``way`` under cProfile: where its time goes."""
    import upload_report
    from download_report import PROFILE_ROWS

    profile = workdir / ("download-%s.prof" % way)
    return upload_report.profile_summary(profile, run(item, profile=profile)["seconds"], PROFILE_ROWS)
