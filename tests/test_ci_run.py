"""``.ci/run`` installs the browser when it can, and a failed install never fails the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("bash") is None, reason="CI runs .ci/run with bash"
)


def _fake_machine(tmp_path: Path, apt_status: int) -> tuple[Path, Path]:
    """A checkout with .ci/run and a PATH of fakes: no Chromium, root, apt-get that answers."""
    checkout = tmp_path / "dépôt avec espaces"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy2(REPO / ".ci" / "run", checkout / ".ci" / "run")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    for tool in ("dirname", "id", "env"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    for tool, status in (("apt-get", apt_status), ("python", 0)):
        script = bin_dir / tool
        script.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\nexit {status}\n', "utf-8")
        script.chmod(0o755)
    return checkout, calls


def _run(checkout: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash")
    assert bash is not None
    env = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    return subprocess.run(
        [bash, str(checkout / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="acts as root")
@pytest.mark.parametrize("apt_status", [0, 100])
def test_ci_installs_the_browser_and_runs_the_tests_even_when_the_install_fails(
    tmp_path: Path, apt_status: int
) -> None:
    checkout, calls = _fake_machine(tmp_path, apt_status)
    done = _run(checkout, tmp_path)
    assert done.returncode == 0, done.stderr
    said = calls.read_text("utf-8").splitlines()
    assert said[0] == "apt-get update -qq"
    if apt_status == 0:
        assert said[1] == "apt-get install -y -qq chromium chromium-driver"
    else:
        assert "skip" in done.stderr  # says the browser tests will skip
    assert said[-2:] == ["python -m pip install --quiet .[test]", "python -m pytest"]
    # The README's test command, exactly.
    assert "python -m pytest\n" in (REPO / "README.md").read_text("utf-8")
