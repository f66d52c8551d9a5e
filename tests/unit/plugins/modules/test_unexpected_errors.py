# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An exception that is not the collection's: one line in msg, the traceback in exception, no secret in either.

Each module runs in-process against the simulator; after it has logged in, the client raises a
RuntimeError whose text holds the password and the session token, as a bug might.
"""

import importlib
import json

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
from helpers import MODULES, PASSWORD, USERNAME, assert_logged_out, connection_args, run_module


def leak(client, *_args, **_kwargs):
    raise RuntimeError("lost API session %s of %s:%s\nand a second line" % (client.session_token, USERNAME, PASSWORD))


def module_args(name, tmp_path):
    """The least each module needs to log in and reach the client."""
    src = tmp_path / "notes.txt"
    src.write_text("some content\n")
    return {
        "content_library_item": dict(library_name="library", name="item", src=str(src)),
        "content_library_item_download": dict(library_name="library", name="item", dest=str(tmp_path / "dest")),
        "content_library_update_session": dict(update_session_id="session", keep_alive=True),
        "content_library_update_session_file": dict(update_session_id="session", name="notes.txt", src=str(src)),
    }.get(name, {})


def ask_for_tracebacks(args, monkeypatch):
    """What the controller sends when it shows error tracebacks; before 2.19 modules always return them."""
    try:
        from ansible.module_utils._internal import _traceback
    except ImportError:  # ansible-core < 2.19
        return args
    # ansible-core reads the setting once per process; each in-process run must read it anew.
    monkeypatch.setattr(_traceback, "_module_tracebacks_enabled_events", None)
    return dict(args, _ansible_tracebacks_for=["error"])


@pytest.mark.parametrize("name", MODULES)
def test_unexpected_error_is_one_line_with_the_traceback_apart(trusted_simulator, tmp_path, monkeypatch, name):
    sim = trusted_simulator
    main = importlib.import_module("ansible_collections.vsphere.content.plugins.modules." + name).main
    monkeypatch.setattr(VSphereClient, "request", leak)
    monkeypatch.setattr(VSphereClient, "detach", leak)
    args = connection_args(sim, _ansible_module_name="vsphere.content." + name, **module_args(name, tmp_path))
    result = run_module(main, ask_for_tracebacks(args, monkeypatch), unexpected=True)

    assert result["failed"] is True
    assert result["msg"] == "Unexpected error in vsphere.content.%s: RuntimeError: lost API session ******** of " \
        "%s:********" % (name, USERNAME)
    (token,) = sim.state.issued_tokens
    assert PASSWORD not in json.dumps(result) and token not in json.dumps(result)
    assert result["exception"].startswith("Traceback (most recent call last):")
    assert "in leak\n" in result["exception"] and "and a second line" in result["exception"]
    assert_logged_out(sim)


def test_known_error_stays_one_sentence_without_traceback(trusted_simulator, monkeypatch):
    from ansible_collections.vsphere.content.plugins.modules.content_library_update_session_info import main

    sim = trusted_simulator
    args = connection_args(sim, password="wrong", _ansible_module_name="vsphere.content.content_library_update_session_info")
    result = run_module(main, args)
    assert result["msg"] == "authentication failed for user %s at %s:%d" % (USERNAME, sim.host, sim.port)
    assert "exception" not in result
