# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Items to download, seeded into a simulator, and what the download tests look at afterwards."""

import os

from ovf_package import make_ovf_package

# Three disks of different sizes, so that a size mix-up cannot go unnoticed.
OVF_DISKS = {"photon-disk1.vmdk": 300 << 10, "photon-disk2.vmdk": (1 << 20) + 7, "photon-disk3.vmdk": 64 << 10}


def seed_ovf_item(sim, directory, library_id="library-1", name="photon", **settings):
    """An OVF item of three disks, as vCenter keeps one (no .mf or .cert); (its id, {name: bytes} in item order)."""
    package = make_ovf_package(directory, name=name, disks=OVF_DISKS, signer=None)
    names = [name + ".ovf"] + list(OVF_DISKS)
    contents = dict((file_name, (package.directory / file_name).read_bytes()) for file_name in names)
    if library_id not in sim.state.libraries:
        sim.state.add_library(library_id, name="templates" if library_id == "library-1" else library_id)
    item_id = sim.state.add_library_item(library_id=library_id, name=name, type="ovf",
                                         files=[{"name": file_name, "content": data}
                                                for file_name, data in contents.items()], **settings)
    return item_id, contents


def downloads(sim):
    """The requests the download endpoint saw, in order."""
    return sim.calls(method="GET", route="download")


def leftovers(directory):
    """Temporary files a download left in ``directory``."""
    return sorted(name for name in os.listdir(directory) if name.endswith(".part"))
