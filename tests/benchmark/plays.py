# Copyright (c) vsphere.content contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark's per-task scenarios: the playbook each one runs, N measured tasks, built for one round."""

SESSION_TYPE = "SELF_SIGNED_CERTIFICATE"


def scenarios():
    """name -> (label, playbook builder, tasks per completed update)."""
    return {
        "ping": ("(a) ansible.builtin.ping", ping_play, 1),
        "floor": ("(b) the requests floor: AnsibleModule and import requests, nothing else", floor_play, 1),
        "fresh": ("(c) our module, unchanged, fresh login", module_play(reuse=False, change=False), 1),
        "reused": ("(d) our module, unchanged, reused token", module_play(reuse=True, change=False), 1),
        "changed": ("(e) our module, changed, reused token", module_play(reuse=True, change=True), 1),
        "item": ("(f) content_library_item, unchanged, reused token", item_play, 1),
        "uri": ("(g) hand-written uri: login, GET, PATCH, logout", uri_play, 4),
    }


def play(tasks, pre_tasks=(), post_tasks=()):
    return [{"name": "benchmark", "hosts": "localhost", "gather_facts": False,
             "pre_tasks": list(pre_tasks), "tasks": list(tasks), "post_tasks": list(post_tasks)}]


def ping_play(count, ctx):
    return play([{"name": "measured %d" % i, "ansible.builtin.ping": {}} for i in range(count)])


def floor_play(count, ctx):
    return play([{"name": "measured %d" % i, "requests_floor": {}} for i in range(count)])


def reusing(tasks):
    """``tasks`` in a play that logs in once and hands every task the token through the action group."""
    login = {"name": "log in once", "vsphere.content.api_session": {}, "register": "api"}
    logout = {"name": "log out", "vsphere.content.api_session": {
        "state": "absent", "session_token": "{{ api.session_token }}"}}
    block = {"name": "reuse the API session", "module_defaults": {
        "group/vsphere.content.vsphere": {"session_token": "{{ api.session_token }}"}}, "block": tasks}
    return play([block], pre_tasks=[login], post_tasks=[logout])


def item_play(count, ctx):
    return reusing([{"name": "measured %d" % i, "vsphere.content.content_library_item": ctx["item"]}
                    for i in range(count)])


def module_play(reuse, change):
    def build(count, ctx):
        tasks = []
        for i in range(count):
            ignored = True
            if change:
                # Flip the flag on every task, across plays too, so each one really PATCHes.
                ctx["flips"] = ctx.get("flips", 0) + 1
                ignored = ctx["flips"] % 2 == 0
            session_id = ctx["changed_session"] if change else ctx["unchanged_session"]
            tasks.append({"name": "measured %d" % i, "vsphere.content.content_library_update_session": {
                "update_session_id": session_id,
                "warning_behavior": [{"type": SESSION_TYPE, "ignored": ignored}],
            }})
        return reusing(tasks) if reuse else play(tasks)
    return build


def uri_play(count, ctx):
    base = "https://{{ lookup('env', 'VMWARE_HOST') }}:{{ lookup('env', 'VMWARE_PORT') }}"
    common = {"ca_path": "{{ lookup('env', 'REQUESTS_CA_BUNDLE') }}"}
    session_url = base + "/api/content/library/item/update-session/" + ctx["uri_session"]
    token = {"vmware-api-session-id": "{{ login.json }}"}
    tasks = []
    for update in range(count // 4):
        ignored = update % 2 == 0
        tasks += [
            {"name": "measured %d login" % update, "register": "login", "ansible.builtin.uri": dict(
                common, url=base + "/api/session", method="POST", force_basic_auth=True, status_code=201,
                url_username="{{ lookup('env', 'VMWARE_USER') }}",
                url_password="{{ lookup('env', 'VMWARE_PASSWORD') }}")},
            {"name": "measured %d get" % update, "register": "current", "ansible.builtin.uri": dict(
                common, url=session_url, headers=token)},
            {"name": "measured %d patch" % update, "ansible.builtin.uri": dict(
                common, url=session_url, method="PATCH", headers=token, body_format="json", status_code=204,
                body={"warning_behavior": [{"type": SESSION_TYPE, "ignored": ignored}]})},
            {"name": "measured %d logout" % update, "ansible.builtin.uri": dict(
                common, url=base + "/api/session", method="DELETE", headers=token, status_code=204)},
        ]
    return play(tasks)
