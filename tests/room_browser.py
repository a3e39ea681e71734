"""A real browser for the room's tests: Debian's Chromium, headless, driven by Selenium.

Why the system's Chromium and chromedriver, given by path: nothing is downloaded at run
time (Selenium Manager would fetch a driver from the internet, which a CI runner or a
laptop in Bamako may not have), and the versions match because Debian ships them together.
Tests that need it skip, saying how to install it, when it is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PHONE = (360, 640)
"""A small phone's viewport, in CSS pixels."""

LAPTOP = (1280, 720)
"""The projector: the laptop's screen."""

INSTALL = (
    "the browser tests need Chromium and its driver: install Debian's chromium and "
    "chromium-driver (apt-get install chromium chromium-driver) to run the browser tests"
)

SCREENSHOTS_ENV = "HSVALIDATE_SCREENSHOTS"
"""A folder where screenshots are also copied, to look at by hand after a run."""


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(size: tuple[int, int], *, phone: bool) -> Any:
    """A headless Chromium at this viewport; skips the test when it is not installed."""
    webdriver = pytest.importorskip("selenium.webdriver", reason=INSTALL)
    from selenium.webdriver.chrome.service import Service

    browser = _find("chromium", "chromium-browser")
    driver = _find("chromedriver")
    if browser is None or driver is None:
        pytest.skip(INSTALL)
    options = webdriver.ChromeOptions()
    options.binary_location = browser  # with the driver's path: Selenium Manager is never asked
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI containers run as root
        "--disable-dev-shm-usage",
        "--no-proxy-server",  # loopback only, whatever the environment says
        "--disable-gpu",
        "--lang=fr-FR",
        f"--window-size={size[0]},{size[1]}",
    ):
        options.add_argument(arg)
    if phone:
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 2.0}},
        )
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


@pytest.fixture
def browser() -> Iterator[Any]:
    """A phone: headless Chromium with a 360×640 viewport (mobile emulation)."""
    driver = _chromium(PHONE, phone=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def projector_browser() -> Iterator[Any]:
    """The laptop's browser showing the projector page (1280×720)."""
    driver = _chromium(LAPTOP, phone=False)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def screenshot(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """Save what a browser shows now as ``<n>-<name>.png``; copied to $HSVALIDATE_SCREENSHOTS.

    The copies go to a folder named after the test, so that two tests never overwrite
    each other's pictures.
    """
    folder = tmp_path / "screenshots"
    folder.mkdir()
    keep_root = os.environ.get(SCREENSHOTS_ENV)
    keep = Path(keep_root) / request.node.name if keep_root else None
    taken: list[Path] = []

    def take(driver: Any, name: str) -> Path:
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        assert driver.save_screenshot(str(path)), path
        taken.append(path)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, keep / path.name)
        return path

    return take
