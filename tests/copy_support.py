# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two simulators as two vCenters, each with its own user, password, tokens and CA, for the copy tests."""

import contextlib

from vcenter_simulator import VCenterSimulator

SOURCE_USER, SOURCE_PASSWORD = "copier@source.local", "source-Secret-1!"
TARGET_USER, TARGET_PASSWORD = "copier@target.local", "target-Secret-2!"
# The routes of the transfer, on each side: none of them may be seen on a re-run that changes nothing.
SOURCE_SESSION_ROUTES = ("create_download_session", "prepare_download_file", "download", "delete_download_session")
TARGET_SESSION_ROUTES = ("create_update_session", "add_file", "upload", "complete_update_session")


@contextlib.contextmanager
def two_vcenters(**target_arguments):
    """(source, target) simulators; any spec violation either saw fails the test."""
    with VCenterSimulator(users={SOURCE_USER: SOURCE_PASSWORD}) as source, \
            VCenterSimulator(users={TARGET_USER: TARGET_PASSWORD}, **target_arguments) as target:
        source.state.add_library("library-1", name="templates")
        target.state.add_library("library-9", name="templates")
        yield source, target
        violations = list(source.violations) + list(target.violations)
    assert not violations, "the simulators saw spec violations:\n" + "\n".join(violations)


def target_args(target, **options):
    """The module's options: the target's connection, with its own CA."""
    args = dict(hostname=target.host, port=target.port, username=TARGET_USER, password=TARGET_PASSWORD,
                ca_path=target.ca_file, library_name="templates")
    args.update(options)
    return args


def source_options(source, **options):
    """``src_item`` on the source vCenter, with its own user and CA."""
    item = dict(hostname=source.host, port=source.port, username=SOURCE_USER, password=SOURCE_PASSWORD,
                ca_path=source.ca_file, library_name="templates")
    item.update(options)
    return item


def stored(sim, item_id):
    """{name: bytes} of an item's stored files."""
    with sim.state.lock:
        records = dict(sim.state.items[item_id]["files"])
    return dict((name, open(record["path"], "rb").read()) for name, record in records.items())


def route_names(sim):
    return [entry["route"] for entry in sim.requests]
