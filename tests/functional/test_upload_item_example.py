# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/examples/upload-item.yml against the simulator: a signed OVF template, an ISO pulled from a URL with its
checksum, and an item removed; then the same play again, which changes nothing and opens no update session."""

import hashlib

import pytest

import dev
from helpers import assert_logged_out, play_statuses
from ovf_package import make_ovf_package

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow

EXAMPLE = str(dev.ROOT / "docs" / "examples" / "upload-item.yml")


def test_the_upload_item_example_puts_content_in_place_then_changes_nothing(
        playbook, trusted_simulator, file_source, tmp_path):
    sim = trusted_simulator
    templates = sim.state.add_library(name="templates")
    sim.state.add_library(name="isos")
    retired = sim.state.add_library_item(library_id=templates, name="photon-4", type="ovf")
    package = make_ovf_package(tmp_path / "photon-5", disks={"photon-disk1.vmdk": 128 << 10})
    sim.state.trusted_roots.append(package.cert_pem)
    iso = b"an ISO image\n" * 4096
    extra_vars = {"template_ovf": str(package.ovf), "iso_url": file_source().add("ubuntu-24.04.iso", iso),
                  "iso_sha1": hashlib.sha1(iso).hexdigest()}

    first = playbook(EXAMPLE, extra_vars)
    sessions = dict(sim.state.update_sessions)
    again = playbook(EXAMPLE, extra_vars)

    assert first.returncode == 0, first.output
    assert play_statuses(first.output) == ["changed", "changed", "changed", "ok"], first.output
    assert again.returncode == 0, again.output
    assert play_statuses(again.output) == ["ok", "ok", "ok", "ok"], again.output
    assert [session["state"] for session in sessions.values()] == ["DONE", "DONE"]
    assert sim.state.update_sessions == sessions, "the second run opened no update session"
    items = {item["name"]: item for item in sim.state.items.values()}
    assert sorted(items) == ["photon-5", "ubuntu-24.04"] and retired not in sim.state.items
    assert items["photon-5"]["description"] == "Photon OS 5, signed by the build pipeline"
    assert sorted(items["photon-5"]["files"]) == ["photon-disk1.vmdk", "photon.ovf"]
    assert items["ubuntu-24.04"]["files"]["ubuntu-24.04.iso"]["checksum_info"]["checksum"] == extra_vars["iso_sha1"]
    assert_logged_out(sim)
