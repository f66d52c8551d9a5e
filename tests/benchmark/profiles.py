# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's measurements of where a task's time goes: one login and one GET, and the AnsiballZ payloads
that Ansible ships to the host, run directly: their wall time, their stages (payload_stages.py), the import
time of this collection's code in them (``-X importtime``) and how many bytes of it they carry."""

import ast
import base64
import io
import json
import re
import statistics
import subprocess
import time
import zipfile

import dev

OURS = "ansible_collections/vsphere/content/"
OUR_MODULE_UTILS = "ansible_collections.vsphere.content.plugins.module_utils."
DOC_STRINGS = ("DOCUMENTATION", "EXAMPLES", "RETURN")
STAGES = str(dev.TESTS / "benchmark" / "payload_stages.py")


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


def capture_payloads(runner, play, tasks):
    """Run ``tasks`` ({scenario: (module, options)}) once with the payloads kept; {scenario: payload path}."""
    remote = runner.workdir / "remote"
    remote.mkdir()
    env = dict(runner.env)
    runner.env.update(ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_REMOTE_TMP=str(remote))
    try:
        runner.run(play([{"name": "keep %s" % name, module: options} for name, (module, options) in tasks.items()]))
    finally:
        runner.env = env
    # One payload per task, in a directory named after the time it was made: in the order of the tasks.
    payloads = sorted(remote.glob("ansible-tmp-*/AnsiballZ_*.py"), key=lambda path: float(path.parent.name.split("-")[2]))
    modules = [module for module, _options in tasks.values()]
    assert [path.stem for path in payloads] == ["AnsiballZ_" + module.rsplit(".", 1)[-1] for module in modules]
    return dict(zip(tasks, payloads))


def _python(env, *args):
    """.venv's Python with ``args`` (a payload runs as a host runs it); the finished process."""
    return subprocess.run([str(dev.venv_bin("python"))] + [str(arg) for arg in args], env=env,
                          capture_output=True, text=True, check=True)


def interleaved(names, repeats, run):
    """{name: [run(name), ...]}: ``repeats`` rounds over ``names``, the order rotated each round, so that the
    machine's ups and downs hit every payload alike."""
    results = {name: [] for name in names}
    for index in range(repeats):
        for name in names[index % len(names):] + names[:index % len(names)]:
            results[name].append(run(name))
    return results


def wall_time(env, payload):
    started = time.perf_counter()
    _python(env, payload)
    return time.perf_counter() - started


def stages(runs):
    """({stage: (median seconds, calls)}, {whose code: (files, source bytes) compiled}) from payload_stages.py's
    answers for one payload."""
    names = sorted(set().union(*(run["stages"] for run in runs)))
    timed = {name: (statistics.median(run["stages"].get(name, [0.0])[0] for run in runs),
                    max(run["stages"].get(name, [0, 0])[1] for run in runs)) for name in names}
    return timed, runs[-1]["compiled"]


def own_import_times(env, payload):
    """{module_utils file: ms of its own import time (compile and run, without what it imports)} of one run."""
    times = {}
    for line in _python(env, "-X", "importtime", payload).stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \| \s*(\S+)$", line)
        if match and match.group(2).startswith(OUR_MODULE_UTILS):
            times[match.group(2)[len(OUR_MODULE_UTILS):]] = int(match.group(1)) / 1000.0
    return times


def _archive(payload):
    """The zip of this collection's and ansible-core's code that a payload carries."""
    data = base64.b64decode(re.search(r"zip_data='([^']*)'", payload.read_text()).group(1))
    return zipfile.ZipFile(io.BytesIO(data))


def carried_code(payload):
    """Bytes of this collection's code in a payload: module_utils, the module's code, its documentation."""
    archive = _archive(payload)
    ours = [info for info in archive.infolist() if info.filename.startswith(OURS) and info.file_size]
    module_utils = sum(info.file_size for info in ours if "/module_utils/" in info.filename)
    modules = [info for info in ours if "/modules/" in info.filename]
    docs = 0
    for info in modules:
        tree = ast.parse(archive.read(info.filename))
        docs += sum(len(node.value.value.encode()) for node in tree.body if isinstance(node, ast.Assign)
                    and [getattr(target, "id", None) for target in node.targets][0] in DOC_STRINGS)
    return {"module_utils": module_utils, "module_utils_files": sum("/module_utils/" in i.filename for i in ours),
            "module_code": sum(info.file_size for info in modules) - docs, "module_docs": docs}


def _without_docstrings(source):
    """``source`` as ast.unparse writes it (no comments), its docstrings left out."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body[:1] = [] if len(body) > 1 else [ast.Pass()]
    return ast.unparse(tree)


def _compile_seconds(sources, repeats):
    """The least time of ``repeats`` compiles of all ``sources``: the cost with the least noise from the machine."""
    samples = []
    for _attempt in range(repeats):
        started = time.perf_counter()
        for name, source in sources:
            compile(source, name, "exec", dont_inherit=True)
        samples.append(time.perf_counter() - started)
    return min(samples)


def docstring_cost(payload, imported, repeats):
    """(seconds, seconds): compiling the module_utils a run imported once each, as they are and as they would be
    without docstrings and comments; the second is what stripping them would save."""
    archive = _archive(payload)
    paths = [OURS + "plugins/module_utils/%s.py" % name.replace(".", "/") for name in imported]
    sources = [(path, archive.read(path).decode()) for path in paths if path in archive.namelist()]
    sources = [(path, source) for path, source in sources if source.strip()]
    stripped = [(path, _without_docstrings(source)) for path, source in sources]
    return _compile_seconds(sources, max(10, repeats * 5)), _compile_seconds(stripped, max(10, repeats * 5))


def ansiballz_profile(runner, play, tasks, repeats):
    """Everything the page says about the payloads of ``tasks`` ({scenario: (module, options)})."""
    payloads = capture_payloads(runner, play, tasks)
    env = dict(runner.env)
    names = list(payloads)
    ours = [name for name in names if tasks[name][0].startswith("vsphere.content.")]
    walls = interleaved(names, repeats, lambda name: wall_time(env, payloads[name]))
    staged = interleaved(names, repeats, lambda name: json.loads(
        _python(env, STAGES, payloads[name]).stderr.splitlines()[-1]))
    imports = interleaved(ours, repeats, lambda name: own_import_times(env, payloads[name]))
    profile = {"wall": {name: statistics.median(walls[name]) for name in names}, "stages": {}, "compiled": {},
               "imports": {}, "code": {}}
    for name in names:
        profile["stages"][name], profile["compiled"][name] = stages(staged[name])
    for name in ours:
        modules = sorted(set().union(*imports[name]))
        profile["imports"][name] = {module: statistics.median(run.get(module, 0.0) for run in imports[name])
                                    for module in modules}
        profile["code"][name] = carried_code(payloads[name])
        profile["code"][name]["docstrings"] = docstring_cost(payloads[name], modules, repeats)
    return profile
