"""Writes each task's wall time to the JSON file named by TASK_TIMES_FILE (the benchmark only)."""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: task_times
type: aggregate
short_description: Record each task's wall time for the benchmark
description:
  - Writes the name, wall time, status and changed flag of every task to the file named by E(TASK_TIMES_FILE).
requirements:
  - enabled in callbacks_enabled
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started = {}
        self.times = []

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started[task._uuid] = time.perf_counter()

    def _record(self, result, status):
        elapsed = time.perf_counter() - self.started[result._task._uuid]
        self.times.append({"task": result._task.get_name(), "seconds": elapsed, "status": status,
                           "changed": bool(result._result.get("changed"))})

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_playbook_on_stats(self, stats):
        with open(os.environ["TASK_TIMES_FILE"], "w") as handle:
            json.dump(self.times, handle)
