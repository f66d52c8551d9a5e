# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The page's "Where the time goes" section: what profiles.ansiballz_profile measured of the payloads, and the
ranking of what this collection controls in a module's cost above the floor."""

import platform

# Issue 13's target for a module task's own cost above the floor, as a fraction of a ping task (run.py checks it).
OWN_COST_LIMIT = 0.10

# Stages of payload_stages.py that are this collection's doing; the rest belong to ansible-core or the floor.
COMPILE_OURS = "compile: this collection"
REQUESTS = "requests (each call)"
STAGE_ORDER = (
    "compile: ansible-core", COMPILE_OURS, "argument handling: AnsibleModule()", "requests.Session()",
    "TLS context", "TLS certificates loaded", "TCP connect", "TLS wrap and handshake", REQUESTS, "JSON decode", "JSON encode",
    "result: exit_json", "whole payload",
)


def _ms(seconds):
    return "%.1f ms" % (seconds * 1000)


def ranked_costs(profile, name, latency):
    """[(what, seconds)]: the measured parts of (name)'s payload run that the floor's does not have, largest
    first; each is a median over the runs."""
    stages, floor = profile["stages"][name], profile["stages"]["floor"]

    def stage(key, of=stages):
        return of.get(key, (0.0, 0))[0]

    requests, calls = stages.get(REQUESTS, (0.0, 0))
    costs = [
        ("compiling this collection's code, the module's included (every run compiles it from the zip)",
         stage(COMPILE_OURS)),
        ("the latency the simulator adds to the %d request(s) (a real vCenter's network and work)" % calls,
         calls * latency),
        ("the request(s) less that latency: connect, TLS handshake, the simulator's own work, requests",
         requests - calls * latency),
        ("TLS context and the certificates loaded into it", stage("TLS context") + stage("TLS certificates loaded")),
        ("argument handling, above the floor's",
         stage("argument handling: AnsibleModule()") - stage("argument handling: AnsibleModule()", floor)),
        ("exit_json, above the floor's", stage("result: exit_json") - stage("result: exit_json", floor)),
    ]
    return sorted(costs, key=lambda cost: -cost[1])


def section(rows, profile, login_seconds, latency, samples):
    labels = dict({name: row["label"] for name, row in rows.items()}, **profile["labels"])
    tag = {name: label.split(" ")[0] for name, label in labels.items()}
    ours = [name for name in profile["stages"] if name in profile["code"]]
    wall = profile["wall"]
    lines = [
        "## Where the time goes",
        "",
        "One login, measured with the collection's client: **%.0f ms**. A task that reuses a token skips it "
        "and its logout." % (login_seconds * 1000),
        "",
        "### On the host: the AnsiballZ payloads",
        "",
        "The payloads Ansible shipped for %s, kept (`ANSIBLE_KEEP_REMOTE_FILES`) and run directly with the same "
        "Python, interleaved, median of %d. The modules' payloads carry this collection's code as source in a zip, "
        "which Python compiles on every run: for %s, Python %s compiled %d files %d times (its zipimport "
        "compiles a file once to find it and again to load it)." % (
            ", ".join(tag[name] for name in wall), samples, tag["reused"], platform.python_version(),
            profile["compiled"]["reused"]["this collection"][0], profile["stages"]["reused"][COMPILE_OURS][1]),
        "",
        "| payload | wall | x %s | above %s | this collection's code it carries | of which a run compiles |"
        % (tag["ping"], tag["floor"]),
        "|---|---:|---:|---:|---|---|",
    ]
    for name, seconds in wall.items():
        above = "+%.0f ms" % ((seconds - wall["floor"]) * 1000) if name in ours else ""
        code = profile["code"].get(name)
        carried = ("%.1f KiB of module_utils in %d files; the module: %.1f KiB of code, %.1f KiB of documentation"
                   % (code["module_utils"] / 1024.0, code["module_utils_files"], code["module_code"] / 1024.0,
                      code["module_docs"] / 1024.0)) if code else ""
        files, size = profile["compiled"][name].get("this collection", (0, 0))
        compiled = "%.1f KiB in %d files" % (size / 1024.0, files) if code else ""
        lines.append("| %s | %.0f ms | %.2f | %s | %s | %s |" % (
            labels[name], seconds * 1000, seconds / wall["ping"], above, carried, compiled))
    lines += [
        "",
        "Stages of one run ([payload_stages.py](../tests/benchmark/payload_stages.py): timers around each stage "
        "as its module is imported; median of %d; they nest, so a request includes its connect and handshake):"
        % samples,
        "",
        "| stage | %s |" % " | ".join(tag[name] for name in profile["stages"]),
        "|---|%s" % ("---:|" * len(profile["stages"])),
    ]
    for stage in STAGE_ORDER:
        cells = []
        for name in profile["stages"]:
            seconds, calls = profile["stages"][name].get(stage, (0.0, 0))
            cells.append("%s%s" % (_ms(seconds), " x%d" % calls if calls > 1 else "") if calls else "")
        lines.append("| %s | %s |" % (stage, " | ".join(cells)))
    for name in (name for name in ours if name in rows):
        lines += [
            "",
            "What %s's payload run does that the floor's does not, measured stage by stage, largest first (its "
            "whole run is %s longer than the floor's; the rest of that is Python running this collection's code, "
            "the standard library it imports beyond the floor's, and run-to-run noise):" % (tag[name], _ms(
                profile["stages"][name]["whole payload"][0] - profile["stages"]["floor"]["whole payload"][0])),
            "",
            "| what | ms |",
            "|---|---:|",
        ]
        lines += ["| %s | %.1f |" % (what, seconds * 1000) for what, seconds in ranked_costs(profile, name, latency)]
        imports = sorted(profile["imports"][name].items(), key=lambda item: -item[1])
        lines += ["", "Its module_utils, by their own import time (compile and run, `-X importtime`): %s." % ", ".join(
            "%s %.1f ms" % (module, ms) for module, ms in imports)]
    lines.append("")
    return lines + cuts(rows, profile)


def why(rows, profile, login_seconds, latency):
    """What the profile says about the targets: where each module task's own cost goes."""
    lines = ["Why, from the profile below: a fresh login costs %.0f ms (the latency added to it, by design), "
             "which only reuse avoids." % (login_seconds * 1000)]
    wall = profile["wall"]
    for name in (name for name in profile["code"] if name in rows):
        own = rows[name]["task"] - rows["floor"]["task"]
        on_host = wall[name] - wall["floor"]
        parts = ranked_costs(profile, name, latency)[:3]
        lines.append(
            "%s's own cost is %.0f ms per task. Run directly on the host, its payload takes %.0f ms longer than the "
            "floor's; the difference, %.0f ms, is the controller's share (a larger payload to build and send, options "
            "to template, a result to process) and run-to-run noise. On the host the largest parts are %s." % (
                rows[name]["label"].split(" ")[0], own * 1000, on_host * 1000, (own - on_host) * 1000,
                "; ".join("%s, %.1f ms" % (what, seconds * 1000) for what, seconds in parts)))
        latency_share = rows[name]["requests_per_task"] * latency / rows["ping"]["task"]
        compile_share = profile["stages"][name].get(COMPILE_OURS, (0.0, 0))[0] / rows["ping"]["task"]
        lines.append(
            "Of the %.2f x (a) allowed, the added latency of %s's requests alone takes %.2f and compiling its code "
            "from the zip %.2f." % (OWN_COST_LIMIT, rows[name]["label"].split(" ")[0], latency_share, compile_share))
    return [" ".join(lines), ""]


def cuts(rows, profile):
    """What issue 13 cut from a task's own cost, and what it weighed and left, with this run's numbers."""
    tag = {name: row["label"].split(" ")[0] for name, row in rows.items()}
    stages = profile["stages"]
    unverified = stages["unverified"].get("TLS certificates loaded", (0.0, 0))
    lines = [
        "### What was cut, and what was weighed and left",
        "",
        "- **A run loads only the code its path takes.** The upload code (`vsphere_client/upload.py`) loads when a "
        "run uploads; `content_library_item`'s update-session workflow only when the item's content must change; "
        "`file_plans.py` only in modules that upload. The column *of which a run compiles* above shows what is left.",
        "- **One SSL context per run, its certificates loaded once**, for the API calls, the uploads and any "
        "connection a retry opens. With `validate_certs: false`, %s loads %s; `requests` and urllib3 alone would "
        "load the system's whole store there for every connection, and certifi's bundle by default."
        % ("(d')", "no certificates" if not unverified[1] else "certificates (%s)" % _ms(unverified[0])),
    ]
    compiled = []
    for name in ("reused", "item"):
        as_is, stripped = profile["code"][name]["docstrings"]
        compiled.append("%s's, %s (%s without them)" % (tag[name], _ms(as_is), _ms(stripped)))
    lines.append(
        "- **Left: docstrings and comments.** Compiling once each the module_utils a run imports takes, at best of "
        "several tries, for %s. "
        "Stripping them from the payload would save that difference twice a run, and make tracebacks point at "
        "lines that are not in the repository, and the code Ansible ships differ from the code reviewed."
        % " and ".join(compiled))
    messages = profile["imports"]["reused"].get("vsphere_client.messages")
    if messages is not None:
        lines.append(
            "- **Left: the error sentences.** `vsphere_client/messages.py` costs %s's run %.1f ms to import, though a "
            "run that succeeds uses little of it; loading it only on failure would scatter imports through every "
            "error path of the client and of `retry.py`." % (tag["reused"], messages))
    lines += [
        "- **Left: the requests.** How many calls a task makes is part of its behaviour: %s makes %g, each with "
        "the simulator's added latency." % (tag["item"], rows["item"]["requests_per_task"]),
        "",
    ]
    return lines
