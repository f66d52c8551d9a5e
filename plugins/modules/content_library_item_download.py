#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r"""
module: content_library_item_download
short_description: Download a Content Library item's files into a directory, verified, resumable, idempotent by checksum
version_added: 1.0.0
description:
  - Writes the files of a vSphere Content Library item (an OVF template's descriptor and disks, an ISO image, any
    other file) into a directory on the host that runs the module, each as O(dest)/<file name>.
  - Idempotent by content. The item's files are read (name, size and checksum) and compared with the local copies,
    size first, so a copy of another size is never read; a copy of the same size is hashed with the algorithm the item
    reports. When every requested file is the same, no download session is opened, nothing is written, and the task
    reports C(ok).
  - Otherwise one download session brings exactly the files that differ. Each is prepared by vCenter, streamed into a
    hidden temporary file in O(dest) while it is hashed, checked against the size and checksum the item reports, flushed
    to disk, and only then renamed over the local copy. A reader of O(dest) never sees a partial file, and a download
    that does not verify leaves the old copy untouched.
  - A stream that breaks (a reset, no data for O(request_timeout), an HTTP 5xx) is tried again, up to O(retries) times.
    When the endpoint answers a C(Range) request with HTTP 206, the download resumes from the byte it reached, and the
    hash continues where it stopped; otherwise it starts over.
  - The download session is deleted on every path, success, failure and cancel (C(SIGTERM) or C(SIGINT), as AWX
    cancels a job), and the temporary files are removed.
  - An OVF template written this way is a deployable OVF directory, its descriptor beside the files it references.
    Upload it again, here or to another vCenter, with M(vsphere.content.content_library_item) and O(dest)/<name>.ovf
    as its C(src).
  - Requires vCenter Server 7.0 Update 2 or later (the C(/api) endpoints).
author:
  - vsphere.content contributors (@vsphere-content)
options:
  library_id:
    description:
      - The identifier of the library that holds the item.
      - Exactly one of O(library_id) and O(library_name) is required, unless O(library_item_id) is given.
    type: str
  library_name:
    description:
      - The name of the library that holds the item, found with vCenter's C(find), which compares names
        case-insensitively. Several libraries of that name fail the task, naming their ids.
    type: str
  library_item_id:
    description:
      - The identifier of the library item. With O(library_id) or O(library_name), it must be in that library.
    type: str
  name:
    description:
      - The name of the item within the library. Several items of that name fail the task, naming them.
      - Exactly one of O(name) and O(library_item_id) is required.
    type: str
  dest:
    description:
      - The directory to write the item's files into, on the host that runs the module. It is created when missing.
    type: path
    required: true
  files:
    description:
      - Only these of the item's files. By default all of them.
      - A name the item does not hold fails the task, naming the files it holds.
    type: list
    elements: str
  overwrite:
    description:
      - V(different) downloads a file that is missing in O(dest), or whose local copy differs in size or checksum.
      - V(always) downloads every file, even when its local copy is the same.
      - V(never) downloads only a file that is missing in O(dest); a local copy is left as it is, and not read.
      - The choices are those of M(amazon.aws.s3_object), with the same meanings.
    type: str
    choices: [different, always, never]
    default: different
  wait_timeout:
    description:
      - How many seconds to wait for vCenter to prepare each file for download (its status C(PREPARED)), polling with
        backoff. Reaching it fails the task.
    type: float
    default: 600
extends_documentation_fragment:
  - vsphere.content.connection
  - vsphere.content.attributes
  - vsphere.content.attributes.CHECK_MODE_FULL
  - vsphere.content.attributes.DIFF_MODE_FULL
  - ansible.builtin.files
attributes:
  check_mode:
    details: In check mode the local copies are compared (and hashed where their size matches), but no session is
      opened and nothing is written, O(dest) included.
  diff_mode:
    details: The diff shows the local copies (size and checksum) before and after.
notes:
  - The file attributes (O(mode), O(owner), O(group), O(seuser) and the rest) apply to each file written or kept in
    O(dest), and to O(dest) itself. Give O(mode) in symbolic form with C(X) (for example V(u=rwX,g=rX,o=rX)) to keep
    O(dest) searchable.
  - Before anything is downloaded, the free space of O(dest) is checked against the bytes to download; too little
    fails the task, naming both numbers, before a session is opened.
  - The API session token goes only to the vCenter named in O(hostname). A download endpoint on another host or port
    gets the request without it.
  - A file the item reports without a checksum is downloaded on every run (its size is still checked).
  - During long downloads the session is kept alive at least every 30 seconds, with the progress, which the vSphere
    Client shows.
seealso:
  - module: vsphere.content.content_library_item
"""

EXAMPLES = r"""
- name: Export a template into a directory (nothing is fetched when it holds the same files)
  vsphere.content.content_library_item_download:
    hostname: vcenter.example.com
    username: administrator@vsphere.local
    password: "{{ vcenter_password }}"
    library_name: templates
    name: photon-5
    dest: /srv/export/photon-5

- name: Only the descriptor, never replacing a local copy
  vsphere.content.content_library_item_download:
    library_name: templates
    name: photon-5
    files: [photon.ovf]
    overwrite: never
    dest: /srv/export/photon-5
    mode: u=rwX,g=rX,o=

- name: Upload the export to another library
  vsphere.content.content_library_item:
    library_name: templates-copy
    name: photon-5
    src: /srv/export/photon-5/photon.ovf
"""

RETURN = r"""
library_item:
  description: The item the files came from.
  returned: always
  type: dict
  contains:
    id:
      description: The item's identifier.
      type: str
      sample: 5c3f3f39-3f0a-4f3b-9a8e-0b7d1c2e3f4a
    name:
      description: The item's name.
      type: str
      sample: photon-5
    type:
      description: The item's type adapter, C(ovf) or C(iso); null for a generic item.
      type: str
      sample: ovf
    content_version:
      description: The version of the item's content.
      type: str
      sample: "2"
    library_id:
      description: The library that holds the item.
      type: str
files:
  description:
    - Each requested file's local copy after the task (or, in check mode, as it would be).
    - C(checksum) is C(ALGORITHM:hex) in the item's algorithm; null for a copy kept by O(overwrite=never), which is not
      read, and for a file the item reports no checksum for that was not downloaded.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "photon.ovf", "path": "/srv/export/photon-5/photon.ovf", "size": 7241,
            "checksum": "SHA1:8d7e4f0b7d0a1c6f9b2e3a4c5d6e7f8091a2b3c4"}]
downloaded:
  description: The names of the files downloaded (or, in check mode, that would be), in the item's order.
  returned: always
  type: list
  elements: str
  sample: [photon-disk1.vmdk]
bytes_downloaded:
  description: The bytes received from vCenter, a download started over included; 0 when nothing was downloaded.
  returned: always
  type: int
  sample: 1073741824
seconds:
  description: How long the downloads took, from opening the session to the last file in place.
  returned: always
  type: float
  sample: 9.3
download_session_id:
  description: The download session the task opened (and deleted), when it opened one.
  returned: when a session was opened
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.vsphere.content.plugins.module_utils.connection import (
    connection_argument_spec,
    exit_with_outcome,
    run_workflow,
)
from ansible_collections.vsphere.content.plugins.module_utils.download_plans import OVERWRITE_CHOICES, is_file_name
from ansible_collections.vsphere.content.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.vsphere.content.plugins.module_utils.item_options import (
    MUTUALLY_EXCLUSIVE,
    check_item_options,
    item_argument_spec,
)
from ansible_collections.vsphere.content.plugins.module_utils.item_download import DownloadRequest, download_item


def argument_spec():
    spec = connection_argument_spec()
    spec.update(item_argument_spec())
    spec.update(
        dest=dict(type="path", required=True),
        files=dict(type="list", elements="str"),
        overwrite=dict(type="str", default="different", choices=list(OVERWRITE_CHOICES)),
        wait_timeout=dict(type="float", default=600.0),
    )
    return spec


def download_request(params):
    """Check the options that depend on each other and build the request; nothing is sent yet."""
    check_item_options(params)
    if not params["wait_timeout"] >= 0:
        raise InvalidOptionError("wait_timeout must be a number of seconds, 0 or more")
    files = params["files"]
    if files is not None:
        if not files:
            raise InvalidOptionError("files must name at least one file; leave it out for all of them")
        for name in files:
            if not is_file_name(name):
                raise InvalidOptionError("files: %r is not a file name; each is written as dest/<name>" % name)
        files = list(dict.fromkeys(files))
    return DownloadRequest(
        dest=params["dest"], library_id=params["library_id"], library_name=params["library_name"],
        library_item_id=params["library_item_id"], name=params["name"], files=files, overwrite=params["overwrite"],
        wait_timeout=params["wait_timeout"], retries=params["retries"], retry_backoff=params["retry_backoff"],
        token_scope=dict(hostname=params["hostname"], port=params["port"], username=params["username"]),
    )


def apply_file_attributes(module, outcome, dest):
    """The file attributes on dest and on every local copy there is (in check mode: would be changed)."""
    changed = outcome.changed
    paths = [dest] + [entry["path"] for entry in outcome.files]
    for path in paths:
        if module.check_mode and not os.path.exists(path):
            continue
        changed = module.set_fs_attributes_if_different(module.load_file_common_arguments(module.params, path=path),
                                                        changed)
    return changed


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=MUTUALLY_EXCLUSIVE,
        add_file_common_args=True,
        supports_check_mode=True,
    )
    # atomic_move gives a new file the permissions the umask allows, and a replaced one its predecessor's.
    _request, outcome = run_workflow(
        module, download_request,
        lambda client, request, check_mode: download_item(client, request, check_mode, replace=module.atomic_move))
    outcome.changed = apply_file_attributes(module, outcome, module.params["dest"])
    result = dict(library_item=outcome.item, files=outcome.files, downloaded=outcome.downloaded,
                  bytes_downloaded=outcome.bytes_downloaded, seconds=round(outcome.seconds, 3))
    if outcome.download_session_id:
        result["download_session_id"] = outcome.download_session_id
    exit_with_outcome(module, outcome, **result)


if __name__ == "__main__":
    main()
