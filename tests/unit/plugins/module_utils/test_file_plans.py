# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pure decisions about one session file, and checksums: idempotence, add specs, diffs,
read-back verification, keep-alive scheduling."""

import hashlib
import io

import pytest
from hypothesis import given, strategies as st

from ansible_collections.vsphere.content.plugins.module_utils.checksums import (
    hash_stream,
    matches,
    normalize_checksum,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.file_plans import (
    PULL,
    PUSH,
    DesiredFile,
    KeepAliveSchedule,
    add_spec,
    algorithms_to_hash,
    file_summary,
    is_current,
    predicted_info,
    progress_percent,
    verification_problem,
)

CONTENT = b"disk bytes"
SHA256 = hashlib.sha256(CONTENT).hexdigest()
SHA1 = hashlib.sha1(CONTENT).hexdigest()


def pushed(**overrides):
    desired = dict(name="disk.vmdk", source_type=PUSH, algorithm="SHA256",
                   digests={"SHA256": SHA256, "SHA1": SHA1}, size=len(CONTENT))
    desired.update(overrides)
    return DesiredFile(**desired)


def info(status="READY", algorithm="SHA256", checksum=SHA256, size=len(CONTENT), **extra):
    result = {"name": "disk.vmdk", "source_type": "PUSH", "status": status, "bytes_transferred": size or 0}
    if size is not None:
        result["size"] = size
    if checksum is not None:
        result["checksum_info"] = {"algorithm": algorithm, "checksum": checksum} if algorithm else {"checksum": checksum}
    result.update(extra)
    return result


def test_a_ready_file_with_the_same_checksum_is_current():
    assert is_current(info(), pushed())


def test_the_servers_algorithm_is_used_for_the_comparison():
    assert is_current(info(algorithm="SHA1", checksum=SHA1.upper()), pushed())
    # An unset algorithm is the API's default, SHA1.
    assert is_current(info(algorithm=None, checksum=SHA1), pushed())


@pytest.mark.parametrize("existing", [
    None,
    info(status="ERROR"),
    info(status="TRANSFERRING"),
    info(checksum="0" * 64),
    info(checksum=None),  # unknown content is never assumed equal
    info(size=len(CONTENT) + 1),
    info(algorithm="MD5", checksum=hashlib.md5(CONTENT).hexdigest()),  # not hashed locally
])
def test_anything_else_is_not_current(existing):
    assert not is_current(existing, pushed())


def test_pull_is_current_only_from_the_same_url_and_checksum():
    desired = DesiredFile("a.iso", PULL, "SHA256", {"SHA256": SHA256}, url="https://src/a.iso")
    same = info(source_type="PULL", source_endpoint={"uri": "https://src/a.iso"})
    assert is_current(same, desired)
    assert not is_current(dict(same, source_endpoint={"uri": "https://src/b.iso"}), desired)
    assert not is_current(info(source_type="PULL", checksum="1" * 64, source_endpoint={"uri": "https://src/a.iso"}),
                          desired)
    without_checksum = DesiredFile("a.iso", PULL, "SHA256", url="https://src/a.iso")
    assert is_current(dict(same, checksum_info=None), without_checksum)


def test_algorithms_to_hash_include_the_servers():
    assert algorithms_to_hash("SHA256", None) == {"SHA256"}
    assert algorithms_to_hash("SHA256", info(algorithm="SHA1", checksum=SHA1)) == {"SHA256", "SHA1"}
    assert algorithms_to_hash("SHA256", info(checksum=None)) == {"SHA256"}


def test_add_spec_carries_size_and_checksum_so_vcenter_verifies():
    assert add_spec(pushed()) == {"name": "disk.vmdk", "source_type": "PUSH", "size": len(CONTENT),
                                  "checksum_info": {"algorithm": "SHA256", "checksum": SHA256}}
    pull = DesiredFile("a.iso", PULL, "SHA1", url="https://src/a.iso", thumbprint="AB:CD")
    assert add_spec(pull) == {"name": "a.iso", "source_type": "PULL",
                              "source_endpoint": {"uri": "https://src/a.iso", "ssl_certificate_thumbprint": "AB:CD"}}


def test_prediction_and_summary():
    predicted = predicted_info(pushed())
    assert predicted["status"] == "READY" and predicted["size"] == len(CONTENT)
    assert file_summary(predicted) == {"name": "disk.vmdk", "size": len(CONTENT), "checksum": "SHA256:" + SHA256}
    assert file_summary(None) == {}


def test_verification_names_expected_and_received_values():
    assert verification_problem(info(), pushed()) is None
    assert verification_problem(info(size=3), pushed()) == "size: sent 10 bytes, vCenter received 3"
    problem = verification_problem(info(checksum="f" * 64), pushed())
    assert problem == "SHA256: expected %s, vCenter received %s" % (SHA256, "f" * 64)
    failed = info(status="ERROR", error_message={"id": "x", "default_message": "Checksum mismatch.", "args": []})
    assert verification_problem(failed, pushed()) == "it is ERROR: Checksum mismatch."
    assert verification_problem(None, pushed()) == "vCenter no longer lists it"


def test_keep_alive_schedule_reports_only_increasing_progress():
    schedule = KeepAliveSchedule(interval=30, start=100.0, reported_progress=10)
    assert not schedule.due(129.9)
    assert schedule.due(130.0)
    assert schedule.progress_to_report(5) is None
    assert schedule.progress_to_report(40) == 40
    schedule.called(130.0, 40)
    assert not schedule.due(150.0)
    assert schedule.progress_to_report(40) is None


@given(st.integers(min_value=0, max_value=10 ** 12), st.integers(min_value=1, max_value=10 ** 12))
def test_progress_is_a_whole_percent(sent, size):
    percent = progress_percent(min(sent, size), size)
    assert 0 <= percent <= 100
    assert (percent == 100) == (sent >= size)


def test_normalize_checksum():
    assert normalize_checksum(" %s " % SHA256.upper(), "SHA256") == SHA256
    with pytest.raises(InvalidOptionError, match="64 hexadecimal digits of a SHA256 digest"):
        normalize_checksum(SHA1, "SHA256")
    with pytest.raises(InvalidOptionError):
        normalize_checksum("z" * 40, "SHA1")


@given(st.binary(max_size=5000), st.integers(min_value=1, max_value=700))
def test_hash_stream_reads_once_for_every_algorithm(data, chunk):
    digests, size = hash_stream(io.BytesIO(data).read, ["SHA256", "MD5", "SHA256"], chunk)
    assert size == len(data)
    assert digests == {"SHA256": hashlib.sha256(data).hexdigest(), "MD5": hashlib.md5(data).hexdigest()}
    assert matches({"algorithm": "MD5", "checksum": digests["MD5"].upper()}, digests)
    assert not matches({"algorithm": "SHA1", "checksum": hashlib.sha1(data).hexdigest()}, digests)
