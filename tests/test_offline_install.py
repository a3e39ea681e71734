"""Offline installation: the wheelhouse procedure of docs/offline-install.md, end to end.

A facilitator installs hsvalidate on a laptop with no internet from a folder of wheels.
This test gathers such a folder, installs from it into a fresh virtual environment with
pip forbidden to use any index, and runs the installed command.  Gathering needs a
package index (pip as configured on this machine); when none can be reached, the test
is skipped with that reason.  The install step ignores every pip setting of this
machine, as the laptop would, so a wheel missing from the folder cannot be found
elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FRAMEWORK = REPO / "templates" / "mali-human-security.yaml"
STEP_TIMEOUT_S = 120

NO_INDEX_SIGNS = (
    "Failed to establish a new connection",
    "NewConnectionError",
    "ConnectTimeoutError",
    "Temporary failure in name resolution",
    "Name or service not known",
    "nodename nor servname provided",
    "Network is unreachable",
    "No route to host",
    "Connection refused",
    "ProxyError",
    "Max retries exceeded",
    "Read timed out",
)
"""What pip prints when it cannot reach an index, as opposed to a genuine failure."""

PIP_NETWORK = ("--retries", "1", "--timeout", "15")
"""Give up quickly without a network: this machine's pip may be set to wait minutes."""


def project() -> dict[str, object]:
    with (REPO / "pyproject.toml").open("rb") as handle:
        data: dict[str, object] = tomllib.load(handle)["project"]
    return data


class StepFailed(Exception):
    def __init__(self, argv: list[str], code: int, output: str) -> None:
        super().__init__(f"{' '.join(argv)} exited {code}:\n{output[-4000:]}")
        self.output = output


def run(argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run one step and return its output; a failure carries the output, to tell why it failed."""
    done = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=STEP_TIMEOUT_S,
        check=False,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise StepFailed(argv, done.returncode, output)
    return output


def needs_index(argv: list[str], what: str) -> None:
    """Run a step that needs a package index; skip when none answers, fail otherwise."""
    try:
        run(argv)
    except StepFailed as failure:
        if any(sign in failure.output for sign in NO_INDEX_SIGNS):
            pytest.skip(f"{what} needs a package index and none could be reached")
        raise


def offline_env() -> dict[str, str]:
    """The environment of a laptop with no pip settings: no config file, no PIP_* variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.pop("PYTHONPATH", None)  # the installed copy must be the one that runs
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.mark.slow
def test_installs_and_runs_from_a_wheelhouse_without_an_index(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    info = project()
    dependencies = info["dependencies"]
    assert isinstance(dependencies, list) and dependencies

    # (a) the project's own wheel; building it fetches hatchling from an index
    pip = [sys.executable, "-m", "pip"]
    needs_index(
        [*pip, "wheel", "--no-deps", *PIP_NETWORK, "-w", str(wheelhouse), str(REPO)],
        "building the wheel",
    )
    assert list(wheelhouse.glob("hsvalidate-*.whl")), "pip wheel wrote no hsvalidate wheel"

    # (b) every runtime dependency, and theirs
    needs_index(
        [*pip, "download", *PIP_NETWORK, "-d", str(wheelhouse), *dependencies],
        "downloading the dependencies",
    )

    # (c) a fresh environment, as on the laptop
    venv = tmp_path / "hsvalidate-env"
    run([sys.executable, "-m", "venv", str(venv)])
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    suffix = ".exe" if os.name == "nt" else ""
    python, hsvalidate = scripts / f"python{suffix}", scripts / f"hsvalidate{suffix}"

    # (d) from the folder only
    env = offline_env()
    install = ["install", "--no-index", "--find-links", str(wheelhouse), "hsvalidate"]
    run([str(python), "-m", "pip", *install], env=env)

    # (e) the installed command works, and it is the installed copy that runs
    where = run(
        [str(python), "-c", "import hsvalidate; print(hsvalidate.__file__)"], env=env, cwd=tmp_path
    )
    assert Path(where.strip()).resolve().is_relative_to(venv.resolve()), where
    version = run([str(hsvalidate), "--version"], env=env, cwd=tmp_path)
    assert str(info["version"]) in version, version
    checked = run(
        [str(hsvalidate), "framework", "check", str(FRAMEWORK)],
        env={**env, "HSVALIDATE_LANG": "fr"},
        cwd=tmp_path,
    )
    # The compiled catalogues travel in the wheel: French words, not message keys.
    assert "cadre valide" in checked and "cli.framework" not in checked, checked
