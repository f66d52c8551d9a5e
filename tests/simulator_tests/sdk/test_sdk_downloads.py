# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Download sessions and their files through VMware's own generated bindings (sdk_support.py): create (with a
client token), get, list, keep-alive, prepare, get and list files, the download itself, cancel, fail, delete."""

import hashlib

import requests
from com.vmware.content.library.item_client import DownloadSessionModel
from com.vmware.vapi.std import errors_client

from sdk_support import ChecksumAlgorithm, EndpointType, PrepareStatus, raises


def new_download(sdk, downloads, files=(), client_token=None):
    item_id = sdk.simulator.state.add_library_item(files=list(files))
    return item_id, downloads.create(DownloadSessionModel(library_item_id=item_id), client_token=client_token)


def test_download_session_create_get_list_keep_alive(sdk, downloads):
    item_id, session_id = new_download(sdk, downloads, client_token="token-1")
    assert downloads.create(DownloadSessionModel(library_item_id=item_id), client_token="token-1") == session_id
    creates = sdk.simulator.calls("POST", "create_download_session")
    assert [(call["client_token"], call["query"], call["status"]) for call in creates] == [("token-1", {}, 201)] * 2
    model = downloads.get(session_id)
    assert (model.id, model.library_item_id, model.library_item_content_version, model.state, model.client_progress,
            model.error_message) == (None, item_id, "1", DownloadSessionModel.State.ACTIVE, 0, None)
    assert model.expiration_time is not None
    other_item, other_id = new_download(sdk, downloads)
    assert sorted(downloads.list()) == sorted([session_id, other_id])
    assert downloads.list(library_item_id=other_item) == [other_id]
    downloads.keep_alive(session_id, progress=50)
    downloads.keep_alive(session_id)
    assert downloads.get(session_id).client_progress == 50
    with raises(sdk, errors_client.InvalidArgument, 400):
        downloads.keep_alive(session_id, progress=50)
    with raises(sdk, errors_client.NotFound, 404):
        downloads.list(library_item_id="no-such-item")
    with raises(sdk, errors_client.NotFound, 404):
        downloads.create(DownloadSessionModel(library_item_id="no-such-item"))


def test_download_session_files_prepare_get_and_download(sdk, downloads, download_files):
    content = b"the content of a b.iso"
    session_id = new_download(sdk, downloads, [{"name": "a b.iso", "content": content}])[1]
    (info,) = download_files.list(session_id)
    assert (info.name, info.status, info.bytes_transferred, info.size, info.download_endpoint) == (
        "a b.iso", PrepareStatus.UNPREPARED, 0, None, None)
    info = download_files.prepare(session_id, "a b.iso", endpoint_type=EndpointType.HTTPS)
    assert info.status == PrepareStatus.PREPARE_REQUESTED
    info = download_files.get(session_id, "a b.iso")
    assert (info.status, info.size, info.checksum_info) == (PrepareStatus.PREPARED, len(content), None)
    assert info.download_endpoint.uri.startswith(sdk.simulator.url + "/cls/data/")
    response = requests.get(info.download_endpoint.uri, verify=sdk.simulator.ca_file, timeout=30)
    assert response.status_code == 200 and response.content == content
    info = download_files.get(session_id, "a b.iso")
    assert (info.bytes_transferred, info.checksum_info.algorithm, info.checksum_info.checksum) == (
        len(content), ChecksumAlgorithm.SHA1, hashlib.sha1(content).hexdigest())
    assert [(call["query"], call["raw_body"]) for call in sdk.simulator.calls("GET", "get_download_file")] == [
        ({"file_name": "a b.iso"}, b"")] * 2
    with raises(sdk, errors_client.InvalidArgument, 400):
        download_files.get(session_id, "other.iso")
    with raises(sdk, errors_client.InvalidArgument, 400):
        download_files.prepare(session_id, "other.iso")
    with raises(sdk, errors_client.Unauthorized, 403):
        download_files.prepare(session_id, "a b.iso", endpoint_type=EndpointType.DIRECT)
    with raises(sdk, errors_client.NotFound, 404):
        download_files.list("no-such-session")


def test_download_session_cancel_fail_delete(sdk, downloads):
    canceled, failed = new_download(sdk, downloads)[1], new_download(sdk, downloads)[1]
    downloads.cancel(canceled)
    downloads.fail(failed, "the disk is full")
    assert downloads.get(canceled).state == DownloadSessionModel.State.CANCELED
    model = downloads.get(failed)
    assert (model.state, model.error_message.default_message) == (DownloadSessionModel.State.ERROR, "the disk is full")
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        downloads.cancel(canceled)
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        downloads.fail(failed, "again")
    with raises(sdk, errors_client.NotAllowedInCurrentState, 400):
        downloads.keep_alive(canceled)
    for session_id in (canceled, failed):
        downloads.delete(session_id)
    assert downloads.list() == []
    with raises(sdk, errors_client.NotFound, 404):
        downloads.get(canceled)
    with raises(sdk, errors_client.NotFound, 404):
        downloads.delete(canceled)
