# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/reliability.md under pytest-xdist: each worker leaves its figures, and the session's process merges them."""

from reliability_support import SECTIONS, Figures, render


def test_counts_from_every_worker_are_summed_and_values_kept(tmp_path):
    first, second = Figures(), Figures()
    first.add("faults", "faults.scenarios", 3)
    first.set("soak", "soak.seed", 20240611)
    second.add("faults", "faults.scenarios", 4)
    second.add("secrets", "secrets.checks")
    first.save(tmp_path, "gw0")
    second.save(tmp_path, "gw1")

    merged = Figures.merged(tmp_path)

    assert merged.sections == {"faults", "soak", "secrets"}
    assert merged.get("faults.scenarios") == 7 and merged.get("secrets.checks") == 1
    assert merged.get("soak.seed") == 20240611 and merged.get("missing") == 0


def test_split_figures_render_the_page_a_single_process_renders(tmp_path):
    whole, parts = Figures(), [Figures(), Figures()]
    for index, section in enumerate(SECTIONS):
        for figures in (whole, parts[index % 2]):
            figures.add(section, "%s.runs" % section, index + 1)
    whole.set("soak", "soak.kinds", {"reset": "survived"})
    parts[1].set("soak", "soak.kinds", {"reset": "survived"})
    for number, part in enumerate(parts):
        part.save(tmp_path, "gw%d" % number)

    assert render(Figures.merged(tmp_path)) == render(whole)
