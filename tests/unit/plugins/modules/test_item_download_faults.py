# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""content_library_item_download when the transfer goes wrong: a broken stream resumes from the byte reached (206) or
starts over (200), a 5xx and a stall are tried again, a corrupted byte and a failed prepare fail, and every path
deletes the download session and leaves no temporary file; the keep-alive reports progress."""

import hashlib
import itertools
import os

import pytest

from ansible_collections.vsphere.content.plugins.module_utils.item_download import DownloadRequest, download_item
from ansible_collections.vsphere.content.plugins.module_utils.vsphere_client.client import VSphereClient
from ansible_collections.vsphere.content.plugins.modules.content_library_item_download import main
from download_support import downloads, leftovers
from helpers import assert_logged_out, connection_args, run_module

SIZE = (5 << 20) + 123
BREAK = 2 << 20


@pytest.fixture
def image(trusted_simulator):
    data = os.urandom(SIZE)
    trusted_simulator.state.add_library_item("iso-1", library_id="library-1", name="image", type="iso",
                                             files=[{"name": "image.iso", "content": data}])
    return data


def run(sim, dest, **options):
    options.setdefault("retry_backoff", 0)
    return run_module(main, connection_args(sim, library_item_id="iso-1", dest=str(dest), **options))


def assert_nothing_left(sim, dest):
    assert sim.state.download_sessions == {}, "the download session was deleted"
    assert leftovers(dest) == [], "no temporary file is left"
    assert_logged_out(sim)


def test_a_reset_stream_resumes_from_the_byte_reached_and_verifies(trusted_simulator, tmp_path, image):
    sim = trusted_simulator
    sim.inject_fault(method="GET", path=r"/cls/data/", reset_after=BREAK)

    result = run(sim, tmp_path)

    assert result["changed"] and (tmp_path / "image.iso").read_bytes() == image
    first, second = downloads(sim)
    assert first["range"] is None and second["range"] == "bytes=%d-" % first["bytes_sent"]
    assert second["status"] == 206
    assert result["bytes_downloaded"] == SIZE, "nothing was fetched twice"
    assert result["files"][0]["checksum"] == "SHA1:" + hashlib.sha1(image).hexdigest()
    assert_nothing_left(sim, tmp_path)


def test_an_endpoint_that_ignores_range_makes_the_download_start_over(trusted_simulator, tmp_path, image):
    sim = trusted_simulator
    sim.inject_fault(method="GET", path=r"/cls/data/", reset_after=BREAK)
    sim.inject_fault(method="GET", path=r"/cls/data/", ignore_range=True)

    result = run(sim, tmp_path)

    assert result["changed"] and (tmp_path / "image.iso").read_bytes() == image
    first, second = downloads(sim)
    assert second["range"] == "bytes=%d-" % first["bytes_sent"] and second["status"] == 200
    assert result["bytes_downloaded"] == SIZE + first["bytes_sent"]
    assert_nothing_left(sim, tmp_path)


@pytest.mark.parametrize("fault", [dict(status=503, body=b"busy"), dict(stall=5, stall_after=BREAK)],
                         ids=["5xx", "stall"])
def test_a_5xx_and_a_stall_past_request_timeout_are_tried_again(trusted_simulator, tmp_path, image, fault):
    sim = trusted_simulator
    sim.inject_fault(method="GET", path=r"/cls/data/", **fault)

    result = run(sim, tmp_path, request_timeout=1)

    assert result["changed"] and (tmp_path / "image.iso").read_bytes() == image
    assert len(downloads(sim)) == 2
    assert_nothing_left(sim, tmp_path)


def test_a_corrupted_byte_fails_naming_both_checksums_and_leaves_the_old_copy(trusted_simulator, tmp_path, image):
    sim = trusted_simulator
    old = os.urandom(SIZE)
    (tmp_path / "image.iso").write_bytes(old)
    sim.inject_fault(method="GET", path=r"/cls/data/", corrupt_at=SIZE // 2)

    failed = run(sim, tmp_path)

    assert failed["failed"]
    assert "image.iso: the SHA1 of what arrived is " in failed["msg"]
    assert ", and the item reports %s; the local file image.iso is untouched" % hashlib.sha1(image).hexdigest() \
        in failed["msg"]
    assert failed["msg"].endswith("download session %s was deleted" % failed["download_session_id"])
    assert (tmp_path / "image.iso").read_bytes() == old
    assert_nothing_left(sim, tmp_path)


def test_a_file_that_fails_to_prepare_fails_with_vcenters_message(trusted_simulator, tmp_path):
    sim = trusted_simulator
    sim.state.add_library_item("iso-1", library_id="library-1", name="image", type="iso", prepare_delay=0.2,
                               prepare_errors={"image.iso": "The datastore is not accessible."},
                               files=[{"name": "image.iso", "content": b"iso"}])

    failed = run(sim, tmp_path)

    assert failed["failed"]
    assert failed["msg"].startswith("vCenter could not prepare image.iso for download: The datastore is not "
                                    "accessible.; download session ")
    assert downloads(sim) == [] and os.listdir(tmp_path) == []
    assert_nothing_left(sim, tmp_path)


def test_retries_exhausted_fail_saying_how_often_and_clean_up(trusted_simulator, tmp_path, image):
    sim = trusted_simulator
    sim.inject_fault(method="GET", path=r"/cls/data/", reset_after=1 << 20, times=-1)

    failed = run(sim, tmp_path, retries=2)

    assert failed["failed"] and failed["msg"].startswith("downloading image.iso failed after 3 attempts: ")
    assert len(downloads(sim)) == 3 and not (tmp_path / "image.iso").exists()
    assert_nothing_left(sim, tmp_path)


def test_keep_alive_reports_increasing_progress_while_files_download(trusted_simulator, tmp_path, image):
    sim = trusted_simulator
    ticks = itertools.count(0, 31)  # every reading of the clock is 31 s after the last: a keep-alive is always due
    request = DownloadRequest(str(tmp_path), library_item_id="iso-1")
    with VSphereClient(**connection_args(sim)) as client:
        outcome = download_item(client, request, False, clock=lambda: float(next(ticks)))
    assert outcome.downloaded == ["image.iso"]
    keep_alives = sim.calls(route="keep_alive_download_session")
    assert keep_alives and all(entry["status"] == 204 for entry in keep_alives), "vCenter took every one"
    reported = [(entry["body"] or {}).get("progress") for entry in keep_alives]
    reported = [value for value in reported if value is not None]
    assert len(reported) > 2 and reported == sorted(set(reported)) and reported[-1] <= 100, reported
