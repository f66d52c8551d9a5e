# -*- coding: utf-8 -*-
# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module_utils file is private to vsphere.content; its API may change without notice.
"""Keeping a library item the same as an item on another vCenter (or the same one): ``content_library_item`` with
``src_item``.

The source item's files are compared with the target's by the checksums both vCenters report, so an unchanged item
costs no byte and no session on either side. Only when something differs does the target's update session receive
the files that differ, each streamed from the source's download session (``remote_source``). The target side is
``item_content``'s workflow, the same as for a local ``src``; this adds the source side and its cleanup.
"""

import time

from ansible_collections.vsphere.content.plugins.module_utils.api_enums import note_unknown_values
from ansible_collections.vsphere.content.plugins.module_utils.copy_plans import (
    copied_type,
    source_summary,
    wanted_from_source,
)
from ansible_collections.vsphere.content.plugins.module_utils.errors import VSphereContentError
from ansible_collections.vsphere.content.plugins.module_utils.item_content import reconcile_library_item
from ansible_collections.vsphere.content.plugins.module_utils.item_lookup import library_id_of, locate_item
from ansible_collections.vsphere.content.plugins.module_utils.library_items import list_item_files
from ansible_collections.vsphere.content.plugins.module_utils.remote_source import SourceItem


def copy_library_item(client, source_client, request, check_mode, clock=time.monotonic):
    """Bring the target item (on ``client``) to hold the source item's content (on ``source_client``, which is
    ``client`` itself for the same vCenter); return an ItemOutcome with ``source_item``. Check mode opens nothing."""
    location = request.source
    item = locate_item(source_client, location, library_id_of(source_client, location))
    if item is None:
        raise VSphereContentError("src_item: library %s has no item named %s"
                                  % (location.library_name or location.library_id, location.name), status=404)
    files = list_item_files(source_client, item["id"])
    request.item_type = copied_type(item, request.item_type)
    host = (request.source_connection or request.token_scope)["hostname"]
    source = request.source_item = SourceItem(source_client, host, item, files, request, clock)
    request.wanted = wanted_from_source(files)
    request.files = source.files
    by_name = dict((wanted_file.name, wanted_file) for wanted_file in request.wanted)
    for remote in source.files:
        remote.wanted = by_name[remote.name]
    try:
        outcome = reconcile_library_item(client, request, check_mode)
    except VSphereContentError as exc:
        raise _with_source_closed(exc, source)
    except BaseException:
        source.close()
        raise
    failure = source.close()
    if failure is not None:
        outcome.warnings.append("deleting download session %s on the source vCenter failed (%s); vCenter ends it when "
                                "it expires" % (source.session_id, failure))
    note_unknown_values(outcome.warnings, files=files)
    outcome.source_item = source_summary(item, source.host)
    return outcome


def _with_source_closed(exc, source):
    """``exc``, once the source's download session is deleted, saying so."""
    if source.session_id is None:
        return exc
    failure = source.close()
    ended = ("download session %s on the source vCenter was deleted" % source.session_id if failure is None
             else "deleting download session %s on the source vCenter failed too (%s)" % (source.session_id, failure))
    return VSphereContentError("%s; %s" % (exc.msg, ended), **exc.details)
