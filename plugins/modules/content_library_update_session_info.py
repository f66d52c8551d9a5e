#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: content_library_update_session_info
short_description: Read Content Library update sessions, with their previews and warnings
version_added: 1.0.0
description:
  - Returns the full model of vSphere Content Library update sessions, including the preview vCenter
    made of the content being uploaded and the certificate warnings it raised, so that a play can decide
    which warnings to ignore.
  - Lists the calling user's sessions, optionally those of one library item, or reads one session.
  - Never changes anything.
  - Requires vCenter Server 7.0 Update 2 or later (the C(/api) endpoints).
author:
  - vsphere.content contributors (@vsphere-content)
options:
  update_session_id:
    description:
      - Return only this session. An unknown session gives an empty list, not a failure.
    type: str
  library_item_id:
    description:
      - Return only the sessions of this library item, through the API's C(library_item_id) filter.
      - An unknown library item gives an empty list, not a failure.
    type: str
  state:
    description:
      - Return only sessions in one of these states.
    type: list
    elements: str
    choices: [ACTIVE, DONE, ERROR, CANCELED]
  include_files:
    description:
      - If V(true), every session also carries RV(update_sessions[].files), the files in the session, and every
        C(ACTIVE) session RV(update_sessions[].validation), vCenter's check of those files.
      - That costs one request per session, and one more per C(ACTIVE) session.
    type: bool
    default: false
extends_documentation_fragment:
  - vsphere.content.connection
  - vsphere.content.attributes
  - vsphere.content.attributes.CHECK_MODE_FULL
  - vsphere.content.attributes.DIFF_MODE_NONE
attributes:
  check_mode:
    details: This module never changes anything, so it runs the same in check mode.
notes:
  - vCenter lists only the sessions that the calling user created.
seealso:
  - module: vsphere.content.content_library_update_session_file
  - module: vsphere.content.content_library_update_session
"""

EXAMPLES = r"""
- name: Read the ACTIVE update session of a library item
  vsphere.content.content_library_update_session_info:
    hostname: vcenter.example.com
    username: administrator@vsphere.local
    password: "{{ vcenter_password }}"
    library_item_id: "{{ library_item_id }}"
    state: [ACTIVE]
  register: item_sessions

- name: Show the warnings its preview raised
  ansible.builtin.debug:
    msg: "{{ item_sessions.update_sessions[0].preview_info.warnings | default([]) | map(attribute='type') }}"
  when: item_sessions.update_sessions | length > 0

- name: Show which files an upload still lacks, or that vCenter found invalid
  vsphere.content.content_library_update_session_info:
    update_session_id: "{{ update_session_id }}"
    include_files: true
  register: upload
- name: Report the problems
  ansible.builtin.debug:
    msg: "{{ upload.update_sessions[0].validation }}"

- name: Read one session
  vsphere.content.content_library_update_session_info:
    hostname: vcenter.example.com
    username: administrator@vsphere.local
    password: "{{ vcenter_password }}"
    update_session_id: "{{ update_session_id }}"
  register: one_session
"""

RETURN = r"""
update_sessions:
  description:
    - The matching update sessions, each the API's C(UpdateSessionModel) with its identifier added as C(id).
    - Sorted by C(id), so the output is stable.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The identifier of the update session.
      type: str
      returned: always
      sample: 5ad1b3b2-1c0e-4b49-9a0c-2f1d1f0c2a17
    library_item_id:
      description: The library item the session uploads content to.
      type: str
      returned: always
      sample: 0d3c7a2b-94f8-4e3f-9b1a-0f9a0b5d7e61
    library_item_content_version:
      description: The content version of the library item when the session was created.
      type: str
      returned: always
      sample: "3"
    state:
      description: The state of the session.
      type: str
      returned: always
      sample: ACTIVE
    client_progress:
      description: The upload progress the client reported, from 0 to 100.
      type: int
      returned: always
      sample: 40
    expiration_time:
      description: The time after which the session may expire.
      type: str
      returned: always
      sample: "2026-11-26T12:30:00.000Z"
    warning_behavior:
      description: Which warning types completing the session ignores.
      type: list
      elements: dict
      returned: when set on the session
      sample: [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": true}]
    preview_info:
      description:
        - The preview of the content being uploaded.
        - C(state) is one of C(UNAVAILABLE), C(NOT_APPLICABLE), C(PREPARING) and C(AVAILABLE).
        - C(warnings) lists each warning raised, with its C(type), C(message) and whether it is C(ignored);
          it is set only when C(state) is C(AVAILABLE).
        - C(certificate_info) (C(issuer), C(subject), C(self_signed), C(x509)) and C(cert_chain) describe the
          certificate of signed content.
      type: dict
      returned: when the session is ACTIVE
      sample: {"state": "AVAILABLE", "warnings": [{"type": "SELF_SIGNED_CERTIFICATE", "ignored": false,
               "message": {"id": "com.vmware.content.SelfSigned", "default_message": "Self-signed.", "args": []}}],
               "certificate_info": {"issuer": "O=Example", "subject": "O=Example", "self_signed": true,
                                    "x509": "-----BEGIN CERTIFICATE-----..."}}
    error_message:
      description: Details of the error, when the session is in the C(ERROR) state.
      type: dict
      returned: when the session is in the ERROR state and vCenter gives a reason
    files:
      description:
        - The files in the session, each the API's C(File.Info) (C(name), C(source_type), C(status), C(size),
          C(bytes_transferred), C(checksum_info), C(source_endpoint), C(error_message)), sorted by name.
        - Files of the library item that the session does not change have the C(source_type) C(NONE).
        - The C(upload_endpoint) of C(PUSH) files is left out, because its address lets anyone who has it send
          content into the session.
      type: list
      elements: dict
      returned: with O(include_files)
      sample: [{"name": "photon.ovf", "source_type": "PUSH", "status": "READY", "size": 5120, "bytes_transferred": 5120,
                "checksum_info": {"algorithm": "SHA256", "checksum": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}]
    validation:
      description:
        - vCenter's validation of the session's files (C(?action=validate)).
        - C(has_errors), C(missing_files) (names the content needs but the session lacks) and C(invalid_files)
          (each with its C(name) and C(error_message)).
      type: dict
      returned: with O(include_files), for ACTIVE sessions
      sample: {"has_errors": true, "missing_files": ["photon-disk1.vmdk"], "invalid_files": []}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import SESSION_STATES, unknown_values
from ansible_collections.vsphere.content.plugins.module_utils.connection import (
    connect,
    connection_argument_spec,
    fail_on_error,
    check_identifiers,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import ApiError
from ansible_collections.vsphere.content.plugins.module_utils.file_reports import reportable
from ansible_collections.vsphere.content.plugins.module_utils.session_files import list_files, validate_files
from ansible_collections.vsphere.content.plugins.module_utils.session_calls import (
    find_update_session,
    list_update_sessions,
)


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        update_session_id=dict(type="str"),
        library_item_id=dict(type="str"),
        state=dict(type="list", elements="str", choices=list(SESSION_STATES)),
        include_files=dict(type="bool", default=False),
    )
    return spec


def read_sessions(client, update_session_id, library_item_id):
    if update_session_id is None:
        return list_update_sessions(client, library_item_id) or []
    session = find_update_session(client, update_session_id)
    if session is None or library_item_id not in (None, session.get("library_item_id")):
        return []
    return [session]


def with_files(client, session):
    """The session with its files and, while ACTIVE, their validation; None when it vanished meanwhile."""
    try:
        files = list_files(client, session["id"])
        validation = validate_files(client, session["id"]) if session.get("state") == "ACTIVE" else None
    except ApiError as exc:
        if exc.is_not_found:
            return None
        raise
    session = dict(session, files=sorted((reportable(info) for info in files), key=lambda info: info.get("name") or ""))
    if validation is not None:
        session["validation"] = validation
    return session


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    with fail_on_error(module):
        check_identifiers(params, "update_session_id", "library_item_id")
        with connect(module) as client:
            sessions = read_sessions(client, params["update_session_id"], params["library_item_id"])
            if params["state"]:
                sessions = [session for session in sessions if session.get("state") in params["state"]]
            if params["include_files"]:
                sessions = [session for session in (with_files(client, s) for s in sessions) if session is not None]
    sessions.sort(key=lambda session: session["id"])
    for session in sessions:
        # Returned as vCenter sent them; a value a later release adds is also named in a warning.
        for sentence in unknown_values(session, session.get("files") or (), "update session %s" % session["id"]):
            module.warn(sentence)
    module.exit_json(changed=False, update_sessions=sessions)


if __name__ == "__main__":
    main()
