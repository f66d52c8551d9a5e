# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Documents ``src_item``, the argument spec of ``module_utils/source_item_options.py``."""


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  src_item:
    description:
      - The content, as another library item, on another vCenter or on the same one. The target item is made to hold
        exactly that item's files, and takes its type.
      - Idempotent with no byte read. The source item's files are compared by name and checksum with the target's,
        as both vCenters report them. When they are equal, the task reports C(ok) and opens no session on either
        vCenter. Sizes are not compared, since vCenter reports a disk's storage size; a file for which either
        vCenter reports no checksum is sent.
      - Otherwise one download session on the source and one update session on the target bring the files that
        differ. Each upload's body is the source's download, streamed 1 MiB at a time through the host that runs
        the module, without touching its disk. The bytes are hashed as they pass, so that a failure says which side
        was wrong; bytes whose checksum is not the one the source reports are refused before they reach the target
        whole. The target's files are read back and must carry the checksums the source reports. Files the source no
        longer holds are removed from the target.
      - With O(src_item.hostname) left out, the source is on the target's vCenter and uses the task's connection. A
        target item that does not exist is then made by vCenter's own copy, and no byte passes through the host; one
        that exists and differs is updated by the streamed path.
      - vCenter does not keep an OVF template's manifest (C(.mf)) and certificate (C(.cert)) once its upload is
        complete, so a copied template usually carries no signature. The target's preview of it then raises no
        certificate warning, and the warning policy has nothing to answer.
      - On failure, and on a cancel (C(SIGTERM)), the source's download session is deleted, the target's update
        session is canceled and deleted, and a target item this task created is deleted.
      - Each vCenter's API session token is sent only to that vCenter, never to a transfer endpoint on another host.
    type: dict
    suboptions:
      library_id:
        description:
          - The identifier of the library that holds the source item.
          - Exactly one of O(src_item.library_id) and O(src_item.library_name) is required, unless
            O(src_item.library_item_id) is given.
        type: str
      library_name:
        description:
          - The name of the library that holds the source item; several libraries of that name fail the task.
        type: str
      library_item_id:
        description:
          - The identifier of the source item.
        type: str
      name:
        description:
          - The name of the source item within its library. It must exist.
          - Exactly one of O(src_item.name) and O(src_item.library_item_id) is required.
        type: str
      hostname:
        description:
          - The vCenter Server that holds the source item, as O(hostname) names one.
          - Left out, the source is on the target's vCenter, reached with the task's own connection; the other
            connection options of O(src_item) must then be left out too.
          - No environment variable fills it, nor any other option of O(src_item).
        type: str
      username:
        description:
          - The user name to log in to the source vCenter with. Required, with O(src_item.password), unless
            O(src_item.session_token) is given. The target's credentials are never sent to the source.
        type: str
      password:
        description:
          - The password of O(src_item.username).
        type: str
      session_token:
        description:
          - An API session token of the source vCenter, as O(session_token) is of the target's.
        type: str
      port:
        description:
          - The HTTPS port of the source vCenter. V(443) when left out.
        type: int
      validate_certs:
        description:
          - Whether to verify the source vCenter's TLS certificate, as O(validate_certs) does. V(true) when left out.
        type: bool
      ca_path:
        description:
          - A PEM file or directory of CA certificates to verify the source vCenter's certificate with, as
            O(ca_path).
        type: path
      proxy_host:
        description:
          - An HTTP(S) proxy that relays every call to the source vCenter, as O(proxy_host). Requires
            O(src_item.proxy_port).
        type: str
      proxy_port:
        description:
          - The port of O(src_item.proxy_host).
        type: int
      proxy_protocol:
        description:
          - The protocol of O(src_item.proxy_host). V(http) when left out.
        type: str
        choices: [http, https]
"""
