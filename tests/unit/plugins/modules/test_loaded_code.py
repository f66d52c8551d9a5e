# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A module run loads, and so compiles from its zip, only the code of the path it takes.

Each run is a fresh interpreter, as every module run on a host is; what it loaded is read from sys.modules.
"""

import json
import subprocess
import sys

import dev
from helpers import connection_args
from ovf_package import make_ovf_package

MODULE_UTILS = "ansible_collections.vsphere.content.plugins.module_utils."
UPLOAD_CODE = {"vsphere_client.upload", "file_transfer", "file_plans", "item_session"}
RUN = """
import importlib, json, sys
sys.path[:0] = json.loads(sys.argv[1])
from helpers import run_module
result = run_module(importlib.import_module(sys.argv[2]).main, json.loads(sys.argv[3]))
prefix = "ansible_collections.vsphere.content.plugins.module_utils."
print(json.dumps({"result": result, "loaded": [name[len(prefix):] for name in sys.modules if name.startswith(prefix)]}))
"""


def run_fresh(module, args):
    """(result, the module_utils the run loaded) of one run of ``module`` in a new interpreter."""
    paths = json.dumps([str(dev.TESTS), str(dev.collections_path())])
    process = subprocess.run([sys.executable, "-c", RUN, paths, "ansible_collections.vsphere.content.plugins.modules."
                              + module, json.dumps(args)], capture_output=True, text=True, check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    answer = json.loads(process.stdout.splitlines()[-1])
    return answer["result"], set(answer["loaded"])


def test_the_session_modules_load_no_upload_code(trusted_simulator):
    sim = trusted_simulator
    session_id = sim.state.add_update_session(warning_behavior=[{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}])
    result, loaded = run_fresh("content_library_update_session", connection_args(
        sim, update_session_id=session_id, warning_behavior=[{"type": "SELF_SIGNED_CERTIFICATE", "ignored": True}]))
    assert result["changed"] is False, result
    assert "update_sessions" in loaded and loaded.isdisjoint(UPLOAD_CODE), sorted(loaded)
    result, loaded = run_fresh("content_library_update_session_info", connection_args(sim, update_session_id=session_id))
    assert result["update_sessions"][0]["id"] == session_id, result
    assert loaded.isdisjoint(UPLOAD_CODE), sorted(loaded)


def test_an_unchanged_item_loads_no_update_session_code(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library("lib-1", name="templates")
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 4 << 10}, signer=None)
    args = connection_args(sim, library_name="templates", name="photon", src=str(package.ovf))
    first, loaded = run_fresh("content_library_item", args)
    assert first["changed"] is True, first
    assert {"item_session", "file_transfer", "vsphere_client.upload"} <= loaded, sorted(loaded)
    again, loaded = run_fresh("content_library_item", args)
    assert again["changed"] is False, again
    assert "item_content" in loaded and loaded.isdisjoint(UPLOAD_CODE | {"update_sessions"}), sorted(loaded)
