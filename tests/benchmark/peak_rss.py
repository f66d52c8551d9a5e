# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one command and measure it: ``python -I -S peak_rss.py REPORT COMMAND [ARGS...]``.

The benchmark's own process is large (the simulator, matplotlib), and a child counts the pages of
the process that spawned it until it execs: ``ru_maxrss`` would report at least that. This small
waiter spawns COMMAND, waits only for it, and writes to REPORT a JSON object with the command's wall
time and ``ru_maxrss`` in bytes (``RUSAGE_CHILDREN``: the peak of the one child it waited for, never
below this waiter's own few MiB). Standard streams pass through; the exit code is the command's.
"""

import json
import os
import resource
import sys
import time


def main(report, command):
    started = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _pid, status = os.waitpid(pid, 0)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(report, "w") as handle:
        json.dump({"seconds": seconds, "rss": usage.ru_maxrss * 1024}, handle)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
