# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The download scenario's figures: summary, targets, the profiles of the module, the chart and the page section."""

import os
import statistics

from item_download import BREAK_AT, DISKS, ITEM_OF, WAYS
from item_report import profile_tables, ratio_text, rss_check, summarise_ways, tag, way_rows, ways_chart
from upload import MIB
from upload_report import size_text, target_lines

# Each timed way and the baseline it is a ratio to, measured in the same rounds.
BASELINES = {"module": "curl", "ovf": "ovf_curl", "rerun": "sha1sum", "resume": "module"}
# The issue's targets: at most this many times the baseline (median of the rounds' ratios).
RATIO_TARGETS = {"module": 1.0, "ovf": 1.0, "rerun": 1.1}
MODULE_WAYS = ("module", "ovf", "rerun", "resume")
# After a break at the half, at most this fraction of the file may come over the wire.
RESUME_TARGET = 0.55
SHA1_UPDATE = "<method 'update' of '_hashlib.HASH' objects>"
FILE_WRITE = "<method 'write' of '_io.BufferedWriter' objects>"
FSYNC = "<built-in method posix.fsync>"
# (label, a piece of the file's path, function): where a profiled run of the module spent its time.
PROFILE_ROWS = (
    ("the module's main()", "content_library_item_download.py", "main"),
    ("log in", "/vsphere_client", "login"),
    ("find the item", "/item_lookup.py", "locate_item"),
    ("list the item's files", "/library_items.py", "list_item_files"),
    ("hash the local copies (hash_file)", "/download_files.py", "hash_file"),
    ("open the download session", "/download_sessions.py", "create_download_session"),
    ("prepare each file, wait for PREPARED", "/file_download.py", "_prepared"),
    ("stream each file into its temporary file (_fetch)", "/file_download.py", "_fetch"),
    ("of which receiving the body (DownloadStream.chunks)", "/vsphere_client/download.py", "chunks"),
    ("of which writing and hashing (PartFile.write)", "/download_files.py", "write"),
    ("of which the keep-alive check per chunk", "/file_download.py", "progress"),
    ("flush, fsync, rename (PartFile.commit)", "/download_files.py", "commit"),
    ("delete the session", "/download_sessions.py", "delete_download_session"),
    ("log out", "/vsphere_client", "logout"),
    ("in all: SHA-1 (hashlib's update)", "~", SHA1_UPDATE),
    ("in all: writes to the file (BufferedWriter.write)", "~", FILE_WRITE),
    ("in all: fsync", "~", FSYNC),
)


def summarise(found):
    rows = summarise_ways(found, WAYS, BASELINES, lambda way: found["bytes"][ITEM_OF[way]])
    rows["resume"]["worst"] = max(found["runs"]["resume"], key=lambda run: run["after"])
    return rows


def targets(found, rows):
    """The issue's targets as (what, measured, met): three ratios, peak RSS, the bytes of a resume."""
    checks = []
    for way, limit in RATIO_TARGETS.items():
        row, base = rows[way], rows[rows[way]["base"]]
        low, high = row["ratio_range"]
        checks.append(("%s takes at most %.1f x %s (%s), median of the rounds' ratios"
                       % (tag(row), limit, tag(base), base["label"].split(" ", 1)[1]),
                       "%.2fx (rounds: %.2f to %.2f; %.2f s vs %.2f s)"
                       % (row["ratio"], low, high, row["seconds"], base["seconds"]),
                       row["ratio"] <= limit))
    checks += [rss_check(found, rows[way], "item") for way in MODULE_WAYS]
    worst = rows["resume"]["worst"]
    checks.append((
        "%s receives at most %.2f x the file after a break at %g of it"
        % (tag(rows["resume"]), RESUME_TARGET, BREAK_AT),
        "%.3f x: %d of %d bytes (bytes_downloaded %d minus the %d the endpoint sent before the break; the worst of "
        "%d round(s))" % (worst["after"] / float(worst["size"]), worst["after"], worst["size"],
                          worst["before"] + worst["after"], worst["before"], found["rounds"]),
        worst["after"] <= RESUME_TARGET * worst["size"]))
    return checks


def chart(rows, found, path):
    ways_chart(rows, found, path, "median wall time, %s (the file, or the OVF item's disks) (s)"
               % size_text(found["size"]), ["#4c72b0", "#888888", "#55a868", "#bbbbbb", "#8172b2", "#cccccc",
                                            "#c44e52", "#dd8452"])


def section(found, rows, checks, chart_name):
    """The page's "Downloads" section, as lines."""
    lines = ["## Downloads", ""] + _ways(found) + way_rows(rows, found) + [""] + _summary(found, rows) + [
        "",
        "The machine's load average (1 minute) was %.1f when the scenario began and %.1f when it ended, on %d CPUs."
        % (found["load"][0], found["load"][1], os.cpu_count()),
        "",
        "![download wall time and peak RSS](%s)" % chart_name,
        "",
        "### Download targets",
        "",
    ]
    lines += target_lines(checks, "All download targets met.")
    lines += [
        "### Where the download module's time goes",
        "",
        "One more run each of (1), (3) and (5) at %s under cProfile (`python -m cProfile -m "
        "...content_library_item_download`), cumulative seconds; profiling adds its own overhead:"
        % size_text(found["size"]),
        "",
    ]
    tools = found["tools"]
    return lines + profile_tables(found["profiles"], WAYS) + [
        "", "Tools: %s; %s; Python %s." % (tools["sha1sum"], tools["curl"], tools["python"]), ""]


def _ways(found):
    """What was measured, and how."""
    size = size_text(found["size"])
    return [
        "Two library items were seeded into the simulator: one file of %s (type iso), and an OVF item of a "
        "descriptor and %d disks totalling %s (%s: %.1f MiB), as vCenter keeps one (no .mf). Their content is "
        "deterministic, made once in a temporary directory and served from there (so from the page cache) by the "
        "simulator's download endpoint, over HTTPS on loopback (certificates verified, no added latency), in the "
        "benchmark's process and on the same CPUs as the receiver. Eight ways, interleaved in %d round(s) with the "
        "order rotated each round; every download went into a new directory, removed afterwards."
        % (size, DISKS, size, ", ".join(found["files"]), found["bytes"]["ovf"] / MIB, found["rounds"]),
        "",
        "- (1) `content_library_item_download` of the one-file item: its real `main()` in a fresh Python process, "
        "arguments as `ANSIBLE_MODULE_ARGS`, as AnsiballZ runs it on the host. It logs in, finds the item, lists "
        "its files, opens a download session, prepares the file, streams it (1 MiB chunks, written 256 KiB at a "
        "time) into a temporary file while hashing SHA-1, verifies, fsyncs and renames it, deletes the session and "
        "logs out. Its result named the file with the item's size and SHA-1, the file was there with that size, no "
        "session was left.",
        "- (2) `curl --cacert CA -o FILE URI` of the same file, then `sha1sum FILE`; the time is both. The URI is "
        "from a download session prepared through the API beforehand, untimed. curl does not fsync.",
        "- (3) the module with the OVF item, checked as (1); one session, one GET per file.",
        "- (4) one `curl` with an `-o FILE URI` per file of (3) (one connection), then one `sha1sum` of them all.",
        "- (5) the module again into a directory that holds (3)'s files already: it compares sizes, hashes every "
        "file (SHA-1) and opens no session (checked in the simulator's request log).",
        "- (6) `sha1sum` of the same local files, one process.",
        "- (7) (1) with the stream cut hard after half the file (a `reset_after` fault); the endpoint honours "
        "`Range`. The module waits its `retry_backoff` (1 s, the default) and resumes with `Range: bytes=N-`.",
        "",
        "Times, ratios and peak RSS are taken as in the upload scenario: wall time of the process(es), median of "
        "the rounds; the median of each round's ratio to the baseline of that round; `ru_maxrss` (%.1f MiB for "
        "`true`; for (2) and (4) the larger of curl and sha1sum), at %s and at %s."
        % (found["rss_floor"] / MIB, size_text(found["small_size"]), size),
        "",
    ]


def _summary(found, rows):
    """The ratios in words, what a resume moved, and where (1)'s time goes next to curl's and sha1sum's."""
    resume, curl = rows["resume"]["worst"], found["runs"]["curl"]
    return [
        "The module fetches one file in **%s**, the OVF item in **%s**; its unchanged re-run costs **%s**; a "
        "resumed download costs %s." % tuple(ratio_text(rows, way) for way in ("module", "ovf", "rerun", "resume")),
        "",
        "(7) in its worst round: the endpoint sent %d bytes before the break; the module asked again with `Range: "
        "%s` (answered %s) and received %d bytes after it (`bytes_downloaded` %d minus those; the endpoint's log "
        "says it sent %d)." % (resume["before"], resume["gets"][0][0], resume["gets"][0][1], resume["after"],
                               resume["before"] + resume["after"], resume["sent_after"]),
        "",
        "Where the time goes: in the profiled run of (1), %s In (2), curl took %.2f s and sha1sum %.2f s "
        "(medians). In the profiled run of (3), the same bytes in %d files, %s" % (
            _parts(found["profiles"]["module"]), statistics.median(run["transfer"] for run in curl),
            statistics.median(run["checksum"] for run in curl), len(found["files"]),
            _parts(found["profiles"]["ovf"])),
    ]


def _parts(profile):
    parts = dict(profile["rows"])
    return ("%.2f s in all: receiving the body took %.2f s, SHA-1 %.2f s, writing the temporary files %.2f s, fsync "
            "%.2f s, start-up and imports %.2f s." % (
                parts["the whole process (wall time, profiled)"],
                parts["of which receiving the body (DownloadStream.chunks)"], parts["in all: SHA-1 (hashlib's update)"],
                parts["in all: writes to the file (BufferedWriter.write)"], parts["in all: fsync"],
                parts["start-up and imports (the rest)"]))
