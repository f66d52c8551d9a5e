# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An update session's files through VMware's own generated bindings (sdk_support.py): PUSH with size and
checksum, validate, remove, PULL, and what a finished session refuses."""

import hashlib
import time

from com.vmware.content.library import item_client
from com.vmware.content.library.item.updatesession_client import File, PreviewInfo, WarningBehavior, WarningType
from com.vmware.content.library.item_client import TransferEndpoint, TransferStatus, UpdateSessionModel
from com.vmware.vapi.std import errors_client

from ovf_package import make_ovf_package
from sdk_support import ChecksumAlgorithm, ChecksumInfo, new_session, push, raises


def test_a_signed_ovf_goes_through_the_file_api_into_the_item(sdk, sessions, files, tmp_path):
    package = make_ovf_package(tmp_path, disks={"photon-disk1.vmdk": 5000}, extra_files={"photon.nvram": b"nvram"})
    item_id, session_id = new_session(sdk, sessions, type="ovf")
    assert files.list(session_id) == []
    for path in package.paths:
        push(sdk, files, session_id, path)
    listed = files.list(session_id)
    assert [info.name for info in listed] == [path.name for path in package.paths]
    for info in listed:
        entry = package.files[info.name]
        assert (info.status, info.source_type, info.size, info.bytes_transferred) == (
            TransferStatus.READY, File.SourceType.PUSH, entry.size, entry.size)
        assert (info.checksum_info.algorithm, info.checksum_info.checksum) == (ChecksumAlgorithm.SHA256, entry.sha256)
        assert info.upload_endpoint.uri.startswith(sdk.simulator.url)
    disk = files.get(session_id, "photon-disk1.vmdk")
    assert disk == listed[3]
    assert files.validate(session_id) == File.ValidationResult(has_errors=False, missing_files=set(), invalid_files=[])

    preview = sessions.get(session_id).preview_info
    assert preview.state == PreviewInfo.State.AVAILABLE
    assert preview.certificate_info.x509 == package.cert_pem
    assert [warning.type for warning in preview.warnings] == [
        WarningType.SELF_SIGNED_CERTIFICATE, WarningType.UNTRUSTED_CERTIFICATE]
    sessions.update(session_id, UpdateSessionModel(warning_behavior=[
        WarningBehavior(type=warning.type, ignored=True) for warning in preview.warnings]))
    sessions.complete(session_id)
    assert sessions.get(session_id).state == UpdateSessionModel.State.DONE

    item_files = sdk.service(item_client.File)
    kept = {info.name: info for info in item_files.list(item_id)}
    assert sorted(kept) == ["photon-disk1.vmdk", "photon.nvram", "photon.ovf"], ".mf and .cert are not kept"
    for name, info in kept.items():
        assert (info.size, info.cached, info.version) == (package.files[name].size, True, "1")
        assert (info.checksum_info.algorithm, info.checksum_info.checksum) == (
            ChecksumAlgorithm.SHA1, package.files[name].sha1)


def test_validate_names_missing_and_invalid_files(sdk, sessions, files, tmp_path):
    package = make_ovf_package(tmp_path, signer=None)
    session_id = new_session(sdk, sessions, type="ovf")[1]
    files.add(session_id, File.AddSpec(name=package.mf.name, source_type=File.SourceType.PUSH))
    push(sdk, files, session_id, package.ovf)
    result = files.validate(session_id)
    assert result.has_errors is True
    assert result.missing_files == {"photon-disk1.vmdk"}
    assert [error.name for error in result.invalid_files] == ["photon.mf"]
    assert result.invalid_files[0].error_message.default_message


def test_a_session_opened_on_an_item_with_files_lists_them_unchanged(sdk, sessions, files):
    item_id = sdk.simulator.state.add_library_item(files=[{"name": "old.iso", "content": b"old content"}])
    session_id = sessions.create(UpdateSessionModel(library_item_id=item_id))
    (info,) = files.list(session_id)
    assert (info.name, info.source_type, info.status, info.size) == (
        "old.iso", File.SourceType.NONE, TransferStatus.READY, 11)
    assert info.checksum_info.algorithm == ChecksumAlgorithm.SHA1


def test_remove_drops_a_file_and_unknown_names_are_invalid_arguments(sdk, sessions, files, tmp_path):
    path = tmp_path / "a.iso"
    path.write_bytes(b"iso")
    session_id = new_session(sdk, sessions)[1]
    push(sdk, files, session_id, path, ChecksumAlgorithm.SHA1)
    files.remove(session_id, "a.iso")
    assert files.list(session_id) == []
    with raises(sdk, errors_client.InvalidArgument, 400):
        files.get(session_id, "a.iso")
    with raises(sdk, errors_client.InvalidArgument, 400):
        files.remove(session_id, "a.iso")
    with raises(sdk, errors_client.NotFound, 404):
        files.get("no-such-session", "a.iso")
    with raises(sdk, errors_client.NotFound, 404):
        files.remove("no-such-session", "a.iso")
    with raises(sdk, errors_client.NotFound, 404):
        files.list("no-such-session")
    with raises(sdk, errors_client.NotFound, 404):
        files.validate("no-such-session")
    with raises(sdk, errors_client.NotFound, 404):
        files.add("no-such-session", File.AddSpec(name="a.iso", source_type=File.SourceType.PUSH))


def test_the_files_of_a_session_that_is_not_active_cannot_change(sdk, sessions, files):
    session_id = new_session(sdk, sessions)[1]
    sessions.cancel(session_id)
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        files.add(session_id, File.AddSpec(name="a.iso", source_type=File.SourceType.PUSH))
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        files.validate(session_id)


def test_ovf_metadata_cannot_follow_the_descriptor(sdk, sessions, files, tmp_path):
    package = make_ovf_package(tmp_path)
    session_id = new_session(sdk, sessions, type="ovf")[1]
    push(sdk, files, session_id, package.ovf)
    for name in (package.mf.name, package.cert.name):
        with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
            files.add(session_id, File.AddSpec(name=name, source_type=File.SourceType.PUSH))


def test_a_pull_is_fetched_by_the_server(sdk, sessions, files, file_source):
    source = file_source()
    data = b"pulled content"
    uri = source.add("pulled.iso", data)
    session_id = new_session(sdk, sessions)[1]
    info = files.add(session_id, File.AddSpec(
        name="pulled.iso", source_type=File.SourceType.PULL, source_endpoint=TransferEndpoint(uri=uri),
        size=len(data), checksum_info=ChecksumInfo(algorithm=ChecksumAlgorithm.SHA1,
                                                   checksum=hashlib.sha1(data).hexdigest())))
    assert info.source_endpoint.uri == uri and info.upload_endpoint is None
    deadline = time.monotonic() + 10
    while info.status in (TransferStatus.WAITING_FOR_TRANSFER, TransferStatus.TRANSFERRING):
        assert time.monotonic() < deadline, info
        time.sleep(0.02)
        info = files.get(session_id, "pulled.iso")
    assert (info.status, info.size, info.checksum_info.checksum) == (
        TransferStatus.READY, len(data), hashlib.sha1(data).hexdigest())


def test_a_datastore_pull_is_an_error_with_a_message(sdk, sessions, files):
    session_id = new_session(sdk, sessions)[1]
    info = files.add(session_id, File.AddSpec(
        name="disk.vmdk", source_type=File.SourceType.PULL,
        source_endpoint=TransferEndpoint(uri="ds:///vmfs/volumes/datastore1/disk.vmdk")))
    deadline = time.monotonic() + 10
    while info.status != TransferStatus.ERROR:
        assert time.monotonic() < deadline, info
        time.sleep(0.02)
        info = files.get(session_id, "disk.vmdk")
    assert "datastore" in info.error_message.default_message
