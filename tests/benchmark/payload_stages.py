# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one AnsiballZ payload, as a host would, timing its stages; print them, and how many files and source
bytes it compiled, as JSON on stderr's last line.

    python payload_stages.py PAYLOAD

The payload runs in this process, loading its code from its own zip as it always does. Timers wrap, as
each module is imported, the calls that make up a task: compiling source, AnsibleModule() (argument
handling), the TLS context and the certificates loaded into it, TCP connects, TLS handshakes, each request, JSON, and
exit_json. They nest: a request includes its connect and handshake.
"""

import builtins
import collections
import functools
import importlib.abc
import json
import runpy
import ssl
import sys
import time

OURS = "/ansible_collections/vsphere/content/"
TOTALS = collections.defaultdict(float)
COUNTS = collections.Counter()
COMPILED = collections.defaultdict(set)  # whose code -> {(file name, source bytes)}


def timed(stage, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TOTALS[stage] += time.perf_counter() - started
            COUNTS[stage] += 1
    return wrapper


def wrap(owner, attribute, stage):
    setattr(owner, attribute, timed(stage, getattr(owner, attribute)))


# module -> what to wrap in it once it has run: (attribute path, stage).
WRAP_AFTER_IMPORT = {
    "ansible.module_utils.basic": [("AnsibleModule.__init__", "argument handling: AnsibleModule()"),
                                   ("AnsibleModule.exit_json", "result: exit_json")],
    "urllib3.util.ssl_": [("create_urllib3_context", "TLS context"), ("ssl_wrap_socket", "TLS wrap and handshake")],
    "urllib3.util.connection": [("create_connection", "TCP connect")],
    "requests.sessions": [("Session.__init__", "requests.Session()"), ("Session.send", "requests (each call)")],
}


class _WrapOnImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself; wraps the loaders of the modules in WRAP_AFTER_IMPORT."""

    def find_spec(self, name, path, target=None):
        if name not in WRAP_AFTER_IMPORT:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            spec = getattr(finder, "find_spec", lambda *_args: None)(name, path, target)
            if spec is not None:
                spec.loader.exec_module = self._exec_then_wrap(spec.loader.exec_module, name)
                return spec
        return None

    @staticmethod
    def _exec_then_wrap(exec_module, name):
        # A zip's loader serves every module in it: only the one asked for gets its timers.
        def run(module):
            exec_module(module)
            if module.__name__ != name:
                return
            for dotted, stage in WRAP_AFTER_IMPORT[name]:
                owner = module
                *parents, attribute = dotted.split(".")
                for parent in parents:
                    owner = getattr(owner, parent)
                wrap(owner, attribute, stage)
        return run


def _compile(real):
    def compile_timed(source, filename, *args, **kwargs):
        whose = "this collection" if OURS in str(filename) else "ansible-core"
        COMPILED[whose].add((str(filename), len(source)))
        return timed("compile: " + whose, real)(source, filename, *args, **kwargs)
    return compile_timed


def main():
    payload = sys.argv[1]
    sys.argv = [payload]
    sys.meta_path.insert(0, _WrapOnImport())
    builtins.compile = _compile(builtins.compile)
    for method in ("load_verify_locations", "load_default_certs"):
        wrap(ssl.SSLContext, method, "TLS certificates loaded")
    wrap(json, "loads", "JSON decode")
    wrap(json, "dumps", "JSON encode")
    started = time.perf_counter()
    try:
        runpy.run_path(payload, run_name="__main__")
    except SystemExit:
        pass
    finally:
        TOTALS["whole payload"] = time.perf_counter() - started
        COUNTS["whole payload"] = 1
        compiled = {whose: [len(files), sum(size for _name, size in files)] for whose, files in COMPILED.items()}
        sys.stderr.write("\n" + json.dumps({"stages": {stage: [TOTALS[stage], COUNTS[stage]] for stage in TOTALS},
                                            "compiled": compiled}) + "\n")


if __name__ == "__main__":
    main()
