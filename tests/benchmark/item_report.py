# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The item scenario's figures: summary, targets, the profiles of the module, the chart and the page section."""

import os
import statistics

from item_upload import DISKS, WAYS
from upload import MIB
from upload_report import RSS_TARGET, memory_panel, size_text, target_lines

# Each timed way and the baseline it is a ratio to, measured in the same rounds.
BASELINES = {"module": "raw", "rerun": "sha1sum"}
# (label, a piece of the file's path, function): where a profiled run of the module spent its time.
PROFILE_ROWS = (
    ("the module's main()", "content_library_item.py", "main"),
    ("read the package (package_files)", "/local_content.py", "package_files"),
    ("log in", "/vsphere_client", "login"),
    ("find the library", "/item_content.py", "_library_id"),
    ("find the item", "/item_content.py", "_locate_item"),
    ("list the item's files (after the upload too)", "/library_items.py", "list_item_files"),
    ("hash every file (SHA-1, hash_stream)", "/checksums.py", "hash_stream"),
    ("create the item", "/item_content.py", "_create_item"),
    ("the update session (update_content)", "/item_session.py", "update_content"),
    ("of which each file's add, PUT and read-back", "/file_transfer.py", "reconcile_session_file"),
    ("of which streaming the bodies (client.upload)", "/vsphere_client", "upload"),
    ("of which the keep-alive check per chunk", "/file_transfer.py", "maybe"),
    ("of which the preview and the warning policy", "/item_session.py", "_answer_preview"),
    ("of which validate and complete", "/update_sessions.py", "reconcile_update_session"),
    ("log out", "/vsphere_client", "logout"),
)


def summarise(found):
    return summarise_ways(found, WAYS, BASELINES, lambda way: found["bytes"])


def summarise_ways(found, ways, baselines, total_bytes):
    """A row per way: median wall time, throughput of ``total_bytes(way)``, peak RSS at both sizes; for each way in
    ``baselines`` the median (and range) of each round's ratio to its baseline of that round."""
    runs = found["runs"]
    rows = {}
    for way, label in ways.items():
        seconds = statistics.median(run["seconds"] for run in runs[way])
        rows[way] = {"label": label, "seconds": seconds, "mibps": total_bytes(way) / MIB / seconds,
                     "rss": max(run["rss"] for run in runs[way]), "rss_small": found["small"][way]["rss"]}
    for way, base in baselines.items():
        ratios = [mine["seconds"] / theirs["seconds"] for mine, theirs in zip(runs[way], runs[base])]
        rows[way].update(ratio=statistics.median(ratios), ratio_range=(min(ratios), max(ratios)), base=base)
    return rows


def targets(found, rows):
    """The issue's target, peak RSS under 100 MiB, for (A) and (C), as (what, measured, met)."""
    return [rss_check(found, rows[way], "package") for way in BASELINES]


def rss_check(found, row, what):
    """(what, measured, met) of the target peak RSS under 100 MiB, at the small size and the full one."""
    return ("%s's peak RSS stays under 100 MiB whatever the %s size" % (tag(row), what),
            "%.1f MiB at %s, %.1f MiB at %s" % (row["rss_small"] / MIB, size_text(found["small_size"]),
                                                row["rss"] / MIB, size_text(found["size"])),
            max(row["rss"], row["rss_small"]) < RSS_TARGET)


def tag(row):
    """"(A)" of "(A) the module, a new item"."""
    return row["label"].split(" ")[0]


def ratio_text(rows, name):
    return "%.2f x %s" % (rows[name]["ratio"], tag(rows[rows[name]["base"]]))


def chart(rows, found, path):
    ways_chart(rows, found, path, "median wall time, a package of %d disks, %s (s)" % (DISKS, size_text(found["size"])),
               ["#4c72b0", "#888888", "#55a868", "#bbbbbb"])


def ways_chart(rows, found, path, xlabel, colors):
    """Each way's median wall time (with its ratio to its baseline), and its peak RSS against the target."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(rows)
    fig, (times, memory) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110, gridspec_kw={"width_ratios": [3, 2]})
    bars = times.barh([rows[name]["label"] for name in names], [rows[name]["seconds"] for name in names],
                      color=colors)
    times.bar_label(bars, padding=3, labels=[
        "%.2f s%s" % (rows[n]["seconds"], ", " + ratio_text(rows, n) if "ratio" in rows[n] else "") for n in names])
    times.invert_yaxis()
    times.set_xlim(0, max(rows[n]["seconds"] for n in names) * 1.6)
    times.set_xlabel(xlabel)
    memory_panel(memory, rows, found, "target: 100 MiB")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def way_rows(rows, found):
    """The table of the ways: wall time, throughput, ratio, peak RSS at both sizes."""
    lines = ["| way | median wall | throughput | ratio | peak RSS, %s | peak RSS, %s |"
             % (size_text(found["small_size"]), size_text(found["size"])), "|---|---:|---:|---:|---:|---:|"]
    for name, row in rows.items():
        lines.append("| %s | %.2f s | %.0f MiB/s | %s | %.1f MiB | %.1f MiB |" % (
            row["label"], row["seconds"], row["mibps"], ratio_text(rows, name) if "ratio" in row else "the baseline",
            row["rss_small"] / MIB, row["rss"] / MIB))
    return lines


def section(found, rows, checks, chart_name):
    """The page's "Library items" section, as lines."""
    size, module, rerun = size_text(found["size"]), rows["module"], rows["rerun"]
    lines = [
        "## Library items",
        "",
        "An OVF package of %d disks totalling %s (%s: %d files, %.1f MiB; deterministic content, made once in a "
        "temporary directory, so read from the page cache), signed with a self-signed certificate, was put into "
        "library items of the simulator over HTTPS on loopback (certificates verified, no added latency) four "
        "ways, interleaved in %d round(s) with the order rotated each round. The simulator receives as in the "
        "upload scenario, in the benchmark's process, on the same CPUs."
        % (DISKS, size, ", ".join(found["files"]), len(found["files"]), found["bytes"] / MIB, found["rounds"]),
        "",
        "- (A) `content_library_item` with `src` the `.ovf` and `warning_behavior` ignoring SELF_SIGNED_CERTIFICATE "
        "and UNTRUSTED_CERTIFICATE (which the preview raises): its real `main()` in a fresh Python process, into a "
        "new item each round, so that it uploads every file. It logs in, finds the library and the item, hashes "
        "every file (SHA-1), creates the item, opens one update session, adds and streams each file and reads it "
        "back, waits for the preview, completes, reads the item's files back and logs out. After each run the "
        "item held every stored file with its size and SHA-1, checked in the simulator's state.",
        "- (B) the sum of raw PUTs of the same files: [raw_put.py](../tests/benchmark/raw_put.py) `--algorithm "
        "sha1`, in one process, SHA-1 of each file then one `requests.put`, to endpoints from adds made beforehand "
        "through the API, untimed, with the size and SHA-1 the module declares; every file ended READY.",
        "- (C) the same task again on an item that already holds the package: the idempotent re-run. It hashes "
        "every file once and compares; the simulator's request log showed no update session created and no PUT.",
        "- (D) `sha1sum` of the same files, one process.",
        "",
        "Times, ratios and peak RSS are taken as in the upload scenario: wall time of the process, median of the "
        "rounds; the median of each round's ratio to the baseline of that round; `ru_maxrss` (%.1f MiB for `true`), "
        "at %s and at %s of disks." % (found["rss_floor"] / MIB, size_text(found["small_size"]), size),
        "",
    ]
    lines += way_rows(rows, found) + [
        "",
        "The module puts the package in place in **%.2f x** the sum of its raw PUTs (rounds: %.2f to %.2f), and "
        "its idempotent re-run costs **%.2f x** `sha1sum` of the same files (rounds: %.2f to %.2f)." % (
            module["ratio"], module["ratio_range"][0], module["ratio_range"][1], rerun["ratio"],
            rerun["ratio_range"][0], rerun["ratio_range"][1]),
        "",
        _hashing_note(found, rows),
        "",
        "The machine's load average (1 minute) was %.1f when the scenario began and %.1f when it ended, on %d CPUs."
        % (found["load"][0], found["load"][1], os.cpu_count()),
        "",
        "![library item wall time and peak RSS](%s)" % chart_name,
        "",
        "### Library item targets",
        "",
    ]
    lines += target_lines(checks, "Both library item targets met.")
    return lines + profile_lines(found, size)


def _hashing_note(found, rows):
    """What (C)'s ratio to (D) is made of: the two SHA-1 implementations, and the module's fixed costs."""
    profiled = found["profiles"]["rerun"]
    hashing, wall = max(profiled["hash_seconds"], 1e-6), profiled["rows"][0][1]  # tiny packages hash in no time
    sha1sum = rows["sha1sum"]["seconds"]
    return ("In the profiled run of (C), hashing (Python's hashlib, which uses OpenSSL) took %.2f s, %.0f MiB/s, "
            "and the rest of the process (start-up, imports, the API calls) %.2f s; `sha1sum` hashed at %.0f MiB/s. "
            "The ratio of (C) to (D) compares these two SHA-1 implementations as much as it measures the module."
            % (hashing, found["bytes"] / MIB / hashing, wall - hashing, found["bytes"] / MIB / sha1sum))


def profile_lines(found, size):
    lines = [
        "### Where the item module's time goes",
        "",
        "One more run each of (A) and (C) at %s under cProfile (`python -m cProfile -m ...content_library_item`), "
        "cumulative seconds; profiling adds its own overhead:" % size,
        "",
    ]
    return lines + profile_tables(found["profiles"], WAYS) + ["", "Tools: %s." % found["sha1sum"], ""]


def profile_tables(profiles, ways):
    """The profiled runs' parts side by side (one column a way, in the order of ``profiles``), then each run's top
    functions by own time."""
    names = list(profiles)
    lines = ["| part | %s |" % " | ".join("%s s" % ways[way].split(" ")[0] for way in names),
             "|---|%s" % ("---:|" * len(names))]
    for index, (label, _seconds) in enumerate(profiles[names[0]]["rows"]):
        lines.append("| %s | %s |" % (label, " | ".join("%.2f" % profiles[way]["rows"][index][1] for way in names)))
    for way in names:
        lines += ["", "%s's top functions by own time:" % ways[way].split(" ")[0], "", "```", profiles[way]["top"],
                  "```"]
    return lines
