"""Conventions users of the collection rely on, checked on the checkout's files."""

import dev

# Users read this to know that a module_utils file is no public API (README, "What is public").
PRIVATE_NOTICE = "# This module_utils file is private to vsphere.content; its API may change without notice."


def module_utils_files():
    """Every module_utils file that must carry the notice.

    __init__.py files are left out: ansible-core 2.16's empty-init sanity test wants them empty.
    """
    return sorted(path for path in (dev.ROOT / "plugins" / "module_utils").rglob("*.py")
                  if path.name != "__init__.py" and path.read_text().strip())


def leading_comments(text):
    """The comment lines a file starts with: the licence header, and the notice after it."""
    lines = text.splitlines()
    count = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return lines[:count]


def test_module_utils_files_say_they_are_private():
    files = module_utils_files()
    assert len(files) > 10, "the module_utils files were not found"
    missing = [str(path.relative_to(dev.ROOT)) for path in files
               if PRIVATE_NOTICE not in leading_comments(path.read_text())]
    assert missing == [], "these module_utils files lack the line %r at the top" % PRIVATE_NOTICE
