"""The benchmark's measurements of where a task's time goes: round trips, import times, the AnsiballZ payloads
and a cProfile of one module run."""

import cProfile
import io
import os
import pstats
import re
import statistics
import subprocess
import time

import dev

SESSION_TYPE = "SELF_SIGNED_CERTIFICATE"


def round_trips(sim, session_id, repeats=5):
    """Median wall times of one login and one GET of a session, with the collection's own client."""
    from ansible_collections.vsphere.content.plugins.module_utils.session_calls import get_update_session
    from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient

    logins, gets = [], []
    for _attempt in range(repeats):
        client = VSphereClient(sim.host, dev.DEMO_USER, dev.DEMO_PASSWORD, port=sim.port, ca_path=sim.ca_file)
        started = time.perf_counter()
        client.login()
        logins.append(time.perf_counter() - started)
        started = time.perf_counter()
        get_update_session(client, session_id)
        gets.append(time.perf_counter() - started)
        client.close()
    return statistics.median(logins), statistics.median(gets)


def import_times(repeats=5):
    """Cumulative import time (ms) of each module, and of ansible's AnsibleModule alone, in a fresh interpreter."""
    result = {}
    names = {
        "AnsibleModule (ansible.module_utils.basic)": "ansible.module_utils.basic",
        "content_library_update_session": "ansible_collections.vsphere.content.plugins.modules."
                                          "content_library_update_session",
        "content_library_update_session_info": "ansible_collections.vsphere.content.plugins.modules."
                                               "content_library_update_session_info",
        "api_session": "ansible_collections.vsphere.content.plugins.modules.api_session",
        "requests": "requests",
    }
    env = dict(os.environ, PYTHONPATH=str(dev.collections_path()))
    for label, module in names.items():
        samples = []
        for _attempt in range(repeats):
            process = subprocess.run([str(dev.venv_bin("python")), "-X", "importtime", "-c", "import " + module],
                                     env=env, capture_output=True, text=True, check=True)
            pattern = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| \s*%s$" % re.escape(module))
            samples += [int(m.group(1)) for m in map(pattern.match, process.stderr.splitlines()) if m]
        result[label] = statistics.median(samples) / 1000.0
    return result


def ansiballz_profile(sim, ctx, runner, play, repeats=7):
    """Wall time of executing the AnsiballZ payloads of ping and of our module (reused token) directly,
    and what our payload spends its imports on: the part of a task that happens on the target."""
    from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
    from helpers import api_session_token

    remote = ctx["workdir"] / "remote"
    remote.mkdir()
    token = api_session_token(sim)
    runner.env.update(ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_REMOTE_TMP=str(remote))
    runner.run(play([
        {"name": "measured ping", "ansible.builtin.ping": {}},
        {"name": "measured module", "vsphere.content.content_library_update_session": {
            "session_token": token, "update_session_id": ctx["unchanged_session"],
            "warning_behavior": [{"type": SESSION_TYPE, "ignored": True}]}},
    ]))
    times, imports = {}, {}
    for payload in sorted(remote.glob("ansible-tmp-*/AnsiballZ_*.py")):
        name = payload.stem.replace("AnsiballZ_", "")
        samples = []
        for _attempt in range(repeats):
            started = time.perf_counter()
            subprocess.run([str(dev.venv_bin("python")), str(payload)], env=runner.env, capture_output=True,
                           check=True)
            samples.append(time.perf_counter() - started)
        times[name] = statistics.median(samples)
        if name != "ping":
            process = subprocess.run([str(dev.venv_bin("python")), "-X", "importtime", str(payload)],
                                     env=runner.env, capture_output=True, text=True, check=True)
            for line in process.stderr.splitlines():
                match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)$", line)
                # The payload's top-level imports of this collection's module_utils, and requests within them.
                if match and (match.group(3) == "requests" or (
                        ".vsphere.content.plugins.module_utils." in match.group(3) and not match.group(2))):
                    imports[match.group(3).rsplit(".", 1)[-1]] = int(match.group(1)) / 1000.0
    with VSphereClient(sim.host, port=sim.port, ca_path=sim.ca_file, session_token=token) as client:
        client.end_session()
    return times, imports


def profile_module_run(sim, ctx):
    """The top of a cProfile of one unchanged, fresh-login module run in-process."""
    from ansible_collections.vsphere.content.plugins.modules import content_library_update_session
    from helpers import run_module

    args = dict(hostname=sim.host, port=sim.port, username=dev.DEMO_USER, password=dev.DEMO_PASSWORD,
                ca_path=sim.ca_file, update_session_id=ctx["unchanged_session"],
                warning_behavior=[{"type": SESSION_TYPE, "ignored": True}])
    profiler = cProfile.Profile()
    profiler.enable()
    run_module(content_library_update_session.main, args)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(12)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(lines[start:])
