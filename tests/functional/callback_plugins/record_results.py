# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes every task result of a run, with its wall time, to the JSON file named by RECORD_RESULTS_FILE.

The tests read the results; the benchmark reads the times.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: record_results
type: aggregate
short_description: Record task results and times to a JSON file for the tests and the benchmark
description:
  - Writes the name, host, status, result and wall time of every task to the file named by
    E(RECORD_RESULTS_FILE).
requirements:
  - enabled in callbacks_enabled
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = []
        self.started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started[task._uuid] = time.perf_counter()

    def _record(self, status, result):
        seconds = time.perf_counter() - self.started[result._task._uuid]
        self.results.append({"task": result._task.get_name(), "host": result._host.get_name(), "status": status,
                             "result": result._result, "seconds": seconds})

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)

    def v2_playbook_on_stats(self, stats):
        with open(os.environ["RECORD_RESULTS_FILE"], "w") as handle:
            json.dump(self.results, handle, default=str)
