"""The page's "Where the time goes" section: what profiles.ansiballz_profile measured of the payloads, and the
ranking of what this collection controls in a module's cost above the floor."""

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
    """[(what, seconds)]: how (name)'s payload run exceeds the floor's, largest first; the stages are medians."""
    stages, floor = profile["stages"][name], profile["stages"]["floor"]

    def stage(key, of=stages):
        return of.get(key, (0.0, 0))[0]

    def above_floor(key):
        return stage(key) - stage(key, floor)

    requests, calls = stages.get(REQUESTS, (0.0, 0))
    costs = [
        ("compiling this collection's code, the module's included (every run compiles it from the zip)",
         stage(COMPILE_OURS)),
        ("the latency the simulator adds to the %d request(s) (a real vCenter's network and work)" % calls,
         calls * latency),
        ("the request(s) less that latency: connect, TLS handshake, the simulator's own work, requests",
         requests - calls * latency),
        ("TLS context and the certificates loaded into it", stage("TLS context") + stage("TLS certificates loaded")),
        ("argument handling, above the floor's", above_floor("argument handling: AnsibleModule()")),
        ("exit_json, above the floor's", above_floor("result: exit_json")),
        ("compiling ansible-core's code, above the floor's", above_floor("compile: ansible-core")),
    ]
    rest = above_floor("whole payload") - sum(seconds for _what, seconds in costs)
    costs.append(("the rest: Python running this collection's code, and imports the floor does not make", rest))
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
        "which Python compiles on every run." % (", ".join(tag[name] for name in wall), samples),
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
            "How %s's payload exceeds the floor's (%s), largest first:" % (tag[name], _ms(
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
    return lines


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
            "%s's own cost is %.0f ms per task: its payload runs %.0f ms longer than the floor's on the host, and the "
            "other %.0f ms are the controller's (a larger payload to build and send, the options to template, the "
            "result to process). On the host the largest parts are %s." % (
                rows[name]["label"].split(" ")[0], own * 1000, on_host * 1000, (own - on_host) * 1000,
                "; ".join("%s, %.1f ms" % (what, seconds * 1000) for what, seconds in parts)))
    return [" ".join(lines), ""]
