"""ansible-lint's production profile on the whole collection: galaxy.yml, meta/, changelogs/, every playbook."""

import dev
from conftest import run


def test_ansible_lint_production_profile():
    # Run in the checkout: ansible-lint lists files through git, so .venv and the like stay out.
    process = run([dev.venv_bin("ansible-lint"), "--profile", "production", "--offline", "--nocolor"],
                  cwd=dev.ROOT, env=dev.ansible_env(NO_COLOR="1"))
    assert "Profile 'production' was required, and it passed" in process.stdout + process.stderr
