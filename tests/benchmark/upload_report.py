# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The upload scenario's figures: summary, targets, the profile of the module, the chart and the page section."""

import os
import pstats
import statistics

from upload import MIB, WAYS

RATIO_TARGET = 1.15
RSS_TARGET = 100 * MIB
# (label, a piece of the file's path, function): where the profiled module run spent its time.
PROFILE_ROWS = (
    ("the module's main()", "content_library_update_session_file.py", "main"),
    ("log in", "/vsphere_client", "login"),
    ("read the session and look for the file", "/session_calls.py", "get_update_session"),
    ("hash the file (SHA-256, hash_stream)", "/checksums.py", "hash_stream"),
    ("add the file", "/session_files.py", "add_file"),
    ("stream the body (client.upload)", "/vsphere_client", "upload"),
    ("of which the keep-alive check per chunk", "/file_transfer.py", "maybe"),
    ("read the file back", "/file_transfer.py", "_wait_for_file"),
    ("log out", "/vsphere_client", "logout"),
)


def profile_summary(path, wall, parts=PROFILE_ROWS):
    """From a module run under cProfile: [(label, seconds)] for ``parts`` (its main() first) and the top
    functions by own time."""
    stats = pstats.Stats(str(path))

    def cumulative(part, function):
        return sum(row[3] for (filename, _line, name), row in stats.stats.items()
                   if name == function and part in filename)

    rows = [("the whole process (wall time, profiled)", wall)]
    main = cumulative(*parts[0][1:])
    rows.append(("start-up and imports (the rest)", wall - main))
    rows += [(label, cumulative(part, function)) for label, part, function in parts]
    hashing = cumulative("/checksums.py", "hash_stream")
    top = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:10]
    lines = ["%9s %9s  %s" % ("own s", "calls", "function")]
    for (filename, line, name), (_cc, calls, own, _cum, _callers) in top:
        where = "/".join(filename.split("/")[-2:])
        lines.append("%9.3f %9d  %s" % (own, calls, name if filename == "~" else "%s:%d(%s)" % (where, line, name)))
    return {"rows": rows, "top": "\n".join(lines), "hash_seconds": hashing}


def _median(values):
    return statistics.median(values) if values else 0.0


def summarise(found):
    size, runs = found["size"], found["runs"]
    rows = {}
    for way, label in WAYS.items():
        seconds = [run["seconds"] for run in runs[way]]
        rows[way] = {
            "label": label,
            "seconds": _median(seconds),
            "mibps": size / MIB / _median(seconds),
            # The module does not say how long it hashed: for (1) that part comes from the profiled run.
            "checksum": _median([run["checksum"] for run in runs[way] if "checksum" in run])
            or found["profile_summary"]["hash_seconds"],
            "transfer": _median([run["transfer"] for run in runs[way]]),
            "rss": max(run["rss"] for run in runs[way]),
            "rss_small": found["small"][way]["rss"],
        }
        for base in ("python", "curl"):
            ratios = [mine["seconds"] / theirs["seconds"] for mine, theirs in zip(runs[way], runs[base])]
            rows[way]["x_" + base] = _median(ratios)
            rows[way]["x_%s_range" % base] = (min(ratios), max(ratios))
    return rows


def targets(found, rows):
    """The issue's two targets as (what, measured, met)."""
    module = rows["module"]
    low, high = module["x_python_range"]
    return [
        ("(1) takes at most %.2f x (3) (checksum plus raw PUT), median of the rounds' ratios" % RATIO_TARGET,
         "%.2fx (rounds: %.2f to %.2f; %.2f s vs %.2f s)" % (
             module["x_python"], low, high, module["seconds"], rows["python"]["seconds"]),
         module["x_python"] <= RATIO_TARGET),
        ("(1)'s peak RSS stays under 100 MiB whatever the file size",
         "%.1f MiB at %s, %.1f MiB at %s" % (module["rss_small"] / MIB, size_text(found["small_size"]),
                                             module["rss"] / MIB, size_text(found["size"])),
         max(module["rss"], module["rss_small"]) < RSS_TARGET),
    ]


def size_text(size):
    if size % (1 << 30) == 0:
        return "%d GiB" % (size >> 30)
    return "%g MiB" % (size / MIB)


def chart(rows, found, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(rows)
    labels = [rows[name]["label"] for name in names]
    fig, (times, memory) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110, gridspec_kw={"width_ratios": [3, 2]})
    checksum = [rows[name]["checksum"] for name in names]
    transfer = [rows[name]["transfer"] for name in names]
    rest = [max(0.0, rows[name]["seconds"] - c - t) for name, c, t in zip(names, checksum, transfer)]
    times.barh(labels, checksum, color="#4c72b0", label="SHA-256 (for (1): in the profiled run)")
    times.barh(labels, transfer, left=checksum, color="#55a868", label="transfer (PUT)")
    bars = times.barh(labels, rest, left=[c + t for c, t in zip(checksum, transfer)], color="#bbbbbb",
                      label="the rest: start-up, imports, API calls")
    times.bar_label(bars, labels=["%.2f s, %.0f MiB/s" % (rows[n]["seconds"], rows[n]["mibps"]) for n in names],
                    padding=3)
    times.invert_yaxis()
    times.set_xlim(0, max(rows[n]["seconds"] for n in names) * 1.55)
    times.set_xlabel("median wall time to upload %s (s)" % size_text(found["size"]))
    times.legend(loc="upper center", bbox_to_anchor=(0.4, -0.18), ncol=3, fontsize="small", frameon=False)
    memory_panel(memory, rows, found, "target (1): 100 MiB")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def memory_panel(memory, rows, found, target_label):
    """Peak RSS of each way at the small and the full size, against the 100 MiB target."""
    names = list(rows)
    positions = range(len(names))
    width = 0.38
    memory.bar([p - width / 2 for p in positions], [rows[n]["rss_small"] / MIB for n in names], width,
               color="#8172b2", label=size_text(found["small_size"]))
    memory.bar([p + width / 2 for p in positions], [rows[n]["rss"] / MIB for n in names], width,
               color="#c44e52", label=size_text(found["size"]))
    memory.axhline(RSS_TARGET / MIB, color="black", linestyle="--", linewidth=1, label=target_label)
    memory.set_xticks(list(positions), [rows[n]["label"].split(" ")[0] for n in names])
    memory.set_ylabel("peak RSS (MiB)")
    memory.set_ylim(0, 120)
    memory.legend(fontsize="small")


def target_lines(checks, all_met):
    """The targets as a table, and which were missed (or ``all_met``)."""
    lines = ["| target | measured | met |", "|---|---|---|"]
    lines += ["| %s | %s | %s |" % (text, value, "yes" if met else "**no**") for text, value, met in checks]
    missed = [text for text, _value, met in checks if not met]
    return lines + ["", "Missed: %s. The profile below shows where the time goes." % "; ".join(missed) if missed
                    else all_met, ""]


def section(found, rows, checks, chart_name):
    """The page's "Uploads" section, as lines."""
    size = size_text(found["size"])
    lines = [
        "## Uploads",
        "",
        "A file of %s (deterministic content, made once in a temporary directory, so read from the page cache) "
        "was uploaded to the simulator's upload endpoint over HTTPS on loopback (certificates verified against "
        "the simulator's CA, no added latency) three ways, interleaved in %d round(s) with the order rotated "
        "each round. The simulator receives as vCenter would verify: streamed to disk while hashing SHA-1 and the "
        "declared SHA-256; it runs in the benchmark's process and shares the machine's CPUs with the sender. "
        "Every upload ended READY with the file's SHA-256, checked in the simulator's state."
        % (size, found["rounds"]),
        "",
        "- (1) `content_library_update_session_file` with `src`: its real `main()` in a fresh Python process, "
        "arguments as `ANSIBLE_MODULE_ARGS`, as AnsiballZ runs it on the host; it logs in, reads the session, "
        "hashes the file, adds it, streams it, reads it back and logs out.",
        "- (2) `sha256sum FILE`, then `curl -T FILE --cacert CA URL`, one after the other; the time is both.",
        "- (3) a Python script ([raw_put.py](../tests/benchmark/raw_put.py)): hashlib SHA-256 in 1 MiB chunks, "
        "then `requests.put(url, data=open(file, 'rb'), verify=ca)`.",
        "",
        "(2) and (3) upload to an endpoint from an add made beforehand through the API, untimed, with the same "
        "size and SHA-256 the module declares. Times are the wall time of the process(es), median of the rounds; "
        "ratios are the median of each round's ratio. Peak RSS is the process's `ru_maxrss` (for (2) the larger "
        "of the two), at %s and at %s, as a small waiter ([peak_rss.py](../tests/benchmark/peak_rss.py)) sees "
        "it; it never reads below the waiter's own pages, %.1f MiB here for `true`."
        % (size_text(found["small_size"]), size, found["rss_floor"] / MIB),
        "",
        "| way | median wall | throughput | x (3) | x (2) | peak RSS, %s | peak RSS, %s |"
        % (size_text(found["small_size"]), size),
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows.values():
        lines.append("| %s | %.2f s | %.0f MiB/s | %.2f | %.2f | %.1f MiB | %.1f MiB |" % (
            row["label"], row["seconds"], row["mibps"], row["x_python"], row["x_curl"], row["rss_small"] / MIB,
            row["rss"] / MIB))
    lines += [
        "",
        "For context, one run of the same upload through `ansible localhost -m "
        "vsphere.content.content_library_update_session_file` took **%.2f s**: the controller's own start-up "
        "and AnsiballZ around the module's %.2f s (median above; this is a single run)."
        % (found["adhoc"], rows["module"]["seconds"]),
        "",
        "The machine's load average (1 minute) was %.1f when the scenario began and %.1f when it ended, on %d "
        "CPUs: other work ran beside it, and the rounds' spread in the targets below shows how much it moved." % (
            found["load"][0], found["load"][1], os.cpu_count()),
        "",
        "![upload wall time and peak RSS](%s)" % chart_name,
        "",
        "### Upload targets",
        "",
    ]
    lines += target_lines(checks, "Both upload targets met.")
    lines += [
        "### Where the module's time goes",
        "",
        "One more run of (1) at %s under cProfile (`python -m cProfile -m %s`), cumulative seconds; profiling "
        "adds its own overhead:" % (size, "...content_library_update_session_file"),
        "",
        "| part | s |",
        "|---|---:|",
    ]
    lines += ["| %s | %.2f |" % (label, seconds) for label, seconds in found["profile_summary"]["rows"]]
    lines += [
        "",
        "Its top functions by own time:",
        "",
        "```",
        found["profile_summary"]["top"],
        "```",
        "",
        "Tools: %s; %s; Python %s." % (found["tools"]["sha256sum"], found["tools"]["curl"], found["tools"]["python"]),
        "",
    ]
    return lines
