# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What vCenter's answers about a session's files say, for results and errors."""

from ansible_collections.vsphere.content.plugins.module_utils.file_reports import (
    message_text,
    reportable,
    validation_problems,
)


def test_reportable_drops_the_upload_address():
    info = {"name": "disk.vmdk", "status": "WAITING_FOR_TRANSFER", "upload_endpoint": {"uri": "https://vc/cls/data/x"}}
    assert reportable(info) == {"name": "disk.vmdk", "status": "WAITING_FOR_TRANSFER"}
    assert reportable(None) is None


def test_validation_problems_name_each_file_and_reason():
    not_received = {"id": "i", "default_message": "Not received.", "args": []}
    result = {"has_errors": True, "missing_files": ["b.vmdk", "a.nvram"],
              "invalid_files": [{"name": "c.vmdk", "error_message": not_received}]}
    assert validation_problems(result) == [
        "a.nvram: missing (not added to the session)",
        "b.vmdk: missing (not added to the session)",
        "c.vmdk: Not received.",
    ]
    assert validation_problems({"has_errors": False, "missing_files": [], "invalid_files": []}) == []


def test_message_text_prefers_the_default_message_then_the_id():
    message = {"id": "com.vmware.x", "default_message": "Checksum mismatch.", "args": []}
    assert message_text(message) == "Checksum mismatch."
    assert message_text({"id": "com.vmware.x", "default_message": "", "args": []}) == "com.vmware.x"
    assert message_text(None) is None
