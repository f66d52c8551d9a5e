"""ansible-lint's production profile on the whole collection: galaxy.yml, meta/, changelogs/, every playbook."""

import dev


def test_ansible_lint_production_profile():
    # dev.lint() is also `python3 tests/dev.py lint`; it runs in the checkout, where ansible-lint lists files
    # through git, so .venv and the like stay out.
    process = dev.lint(capture_output=True, text=True, timeout=1800)
    output = process.stdout + process.stderr
    assert process.returncode == 0, output
    assert "Profile 'production' was required, and it passed" in output
