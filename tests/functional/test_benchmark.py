"""A smoke run of the benchmark with tiny N: it runs from this checkout and writes its page and chart.

Its numbers are not judged here; the benchmark reports them as ratios, never as pass/fail.
"""

import subprocess

import dev


def test_benchmark_writes_the_page_and_the_chart(tmp_path):
    page = tmp_path / "performance.md"
    process = subprocess.run(
        [str(dev.venv_bin("python")), str(dev.TESTS / "benchmark" / "run.py"), "--tasks", "1", "--rounds", "1",
         "--latency", "0", "--login-latency", "0", "--output", str(page)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    text = page.read_text()
    for scenario in ("(a) ansible.builtin.ping", "(b) our module, unchanged, fresh login",
                     "(c) our module, unchanged, reused token", "(d) our module, changed, reused token",
                     "(e) hand-written uri"):
        assert "| %s" % scenario in text
    assert "| 100 tasks with reuse spend under 1 s in total on logins |" in text
    assert "![median wall time per completed update](performance.png)" in text
    assert (tmp_path / "performance.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "N = 1 tasks per scenario" in text
