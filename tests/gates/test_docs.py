"""antsibull-docs: the plugin documentation lints clean, and docs/plugins/ is what it generates today."""

import filecmp

import dev
from conftest import copy_env, run
from helpers import MODULES


def test_lint_collection_docs(collection_copy):
    run([dev.venv_bin("antsibull-docs"), "lint-collection-docs", "--plugin-docs", "--validate-collection-refs", "all",
         collection_copy], cwd=collection_copy, env=copy_env(collection_copy))


def test_generated_plugin_docs_are_current(tmp_path):
    fresh = tmp_path / "plugins"
    dev.generate_plugin_docs(fresh)
    committed = dev.PLUGIN_DOCS
    names = sorted(path.relative_to(fresh).as_posix() for path in fresh.rglob("*") if path.is_file())
    committed_names = sorted(path.relative_to(committed).as_posix() for path in committed.rglob("*") if path.is_file())
    stale = [name for name in names if name in committed_names and not filecmp.cmp(fresh / name, committed / name, shallow=False)]
    assert (committed_names, stale) == (names, []), "docs/plugins/ is stale: run python3 tests/dev.py docs"
    # Every module has its page, so the comparison above covers each of them.
    assert [name for name in names if name.endswith("_module.rst")] == ["%s_module.rst" % m for m in MODULES]
