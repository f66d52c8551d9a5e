# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A smoke run of the benchmark with tiny N, a 4 MiB upload, a package of three 1 MiB disks and 4 MiB downloads: it
runs from this checkout and writes its page and charts.

Its numbers are not judged here; the benchmark reports them as ratios, never as pass/fail.
"""

import re
import subprocess

import pytest

import dev

# Whole playbooks, tarballs or runners: tests/dev.py quick leaves them to the full suite.
pytestmark = pytest.mark.slow


def assert_rows(section, labels, end=""):
    """Each label starts a table row of ``section``."""
    assert [label for label in labels if "| %s%s" % (label, end) not in section] == []


def test_benchmark_writes_the_page_and_the_charts(tmp_path):
    page = tmp_path / "performance.md"
    process = subprocess.run(
        [str(dev.venv_bin("python")), str(dev.TESTS / "benchmark" / "run.py"), "--tasks", "1", "--rounds", "1",
         "--latency", "0", "--login-latency", "0", "--samples", "1",
         "--upload-size", "4MiB", "--upload-rounds", "1", "--item-size", "3MiB", "--item-rounds", "1",
         "--download-size", "4MiB", "--download-rounds", "1", "--output", str(page)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    text = page.read_text()
    assert_rows(text, ("(a) ansible.builtin.ping", "(b) the requests floor", "(c) our module, unchanged, fresh login",
                       "(d) our module, unchanged, reused token", "(e) our module, changed, reused token",
                       "(f) content_library_item, unchanged, reused token", "(g) hand-written uri"))
    assert "| 100 tasks with reuse spend under 1 s in total on logins |" in text
    for scenario in ("(d)", "(f)"):
        assert "| %s costs at most 0.10 x (a) above (b): (%s - (b)) / (a) <= 0.10 |" % (scenario, scenario) in text
    profile = text[text.index("### On the host: the AnsiballZ payloads"):text.index("## Uploads")]
    assert_rows(profile, ("(a) ansible.builtin.ping", "(b) the requests floor", "(d) our module",
                          "(f) content_library_item",
                          "(d') our module, unchanged, reused token, validate_certs: false"))
    assert "| compile: this collection |" in profile and "| TLS certificates loaded |" in profile
    assert "What (d)'s payload run does that the floor's does not" in profile
    assert "What (f)'s payload run does that the floor's does not" in profile
    assert "### What was cut, and what was weighed and left" in profile
    assert "With `validate_certs: false`, (d') loads no certificates" in profile
    assert "![median wall time per completed update](performance.png)" in text
    assert (tmp_path / "performance.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "N = 1 tasks per scenario" in text
    uploads = text[text.index("## Uploads"):text.index("## Library items")]
    assert "A file of 4 MiB" in uploads
    assert_rows(uploads, ("(1) the module, in a fresh Python process", "(2) sha256sum, then curl -T",
                          "(3) hashlib SHA-256, then requests.put"), end=" |")
    assert "| (1)'s peak RSS stays under 100 MiB whatever the file size |" in uploads
    assert "through `ansible localhost -m vsphere.content.content_library_update_session_file` took" in uploads
    assert "### Where the module's time goes" in uploads and "| hash the file (SHA-256, hash_stream) |" in uploads
    assert "![upload wall time and peak RSS](performance-upload.png)" in uploads
    assert (tmp_path / "performance-upload.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    items = text[text.index("## Library items"):text.index("## Downloads")]
    assert "An OVF package of 3 disks totalling 3 MiB" in items
    assert_rows(items, ("(A) the module, a new item", "(B) SHA-1, then a raw PUT per file",
                        "(C) the module again, unchanged", "(D) sha1sum of the same files"), end=" |")
    assert "x (B) |" in items and "x (D) |" in items
    assert "| (A)'s peak RSS stays under 100 MiB whatever the package size |" in items
    assert "| (C)'s peak RSS stays under 100 MiB whatever the package size |" in items
    assert "| hash every file (SHA-1, hash_stream) |" in items
    assert "![library item wall time and peak RSS](performance-item.png)" in items
    assert (tmp_path / "performance-item.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    downloads = text[text.index("## Downloads"):text.index("## Machine")]
    assert "one file of 4 MiB (type iso), and an OVF item of a descriptor and 3 disks totalling 4 MiB" in downloads
    assert_rows(downloads, ("(1) the module, one file", "(2) curl -o, then sha1sum",
                            "(3) the module, an OVF item of 3 disks", "(4) curl -o of each file, then sha1sum",
                            "(5) the module again, unchanged", "(6) sha1sum of the local files",
                            "(7) the module, broken at the half, resumed"), end=" |")
    assert "x (2) |" in downloads and "x (4) |" in downloads and "x (6) |" in downloads
    assert_rows(downloads, ("(1) takes at most 1.0 x (2) (curl -o, then sha1sum), median of the rounds' ratios",
                            "(3) takes at most 1.0 x (4) (curl -o of each file, then sha1sum), median of the rounds' "
                            "ratios",
                            "(5) takes at most 1.1 x (6) (sha1sum of the local files), median of the rounds' ratios",
                            "(7) receives at most 0.55 x the file after a break at 0.5 of it"), end=" |")
    assert_rows(downloads, ["(%d)'s peak RSS stays under 100 MiB whatever the item size" % way for way in (1, 3, 5, 7)],
                end=" |")
    assert "| of which receiving the body (DownloadStream.chunks) |" in downloads
    assert "| in all: fsync |" in downloads and "Where the time goes: in the profiled run of (1)" in downloads
    assert "In the profiled run of (3), the same bytes in 4 files" in downloads
    assert re.search(r"the module asked again with `Range: bytes=\d+-` \(answered 206\)", downloads)
    assert "![download wall time and peak RSS](performance-download.png)" in downloads
    assert (tmp_path / "performance-download.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
