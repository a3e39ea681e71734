"""The room in a real browser: a phone votes from its slip's address, the projector reveals.

Headless Chromium (tests/room_browser.py) at a phone's 360×640 viewport, against
``hsvalidate room open`` started on loopback in a subprocess, as the README's steps do.
Screenshots of every step go to a temporary folder (and to $HSVALIDATE_SCREENSHOTS when
set, to look at by hand).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from room_browser import PHONE, browser, projector_browser, screenshot  # noqa: F401
from room_load import NAMES, RoomServer, make_session

from hsvalidate.framework import Framework
from hsvalidate.workshop import Workshop

COMMENT = "Ka ɲɛ : « définition » à préciser, ŋ <b>pas</b> clair"
CRITERIA = ("relevance", "feasibility", "clarity")
Shot = Callable[[Any, str], Path]


def _by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def _wait(driver: Any, until: Callable[[Any], Any], timeout: float = 10) -> Any:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(
        driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(until)


def _indicator(driver: Any) -> str:
    """The indicator the ballot page shows (its form's hidden field); "" on the all-done page."""
    found = driver.find_elements(_by("NAME"), "indicator")
    return str(found[0].get_attribute("value")) if found else ""


def _numbers(driver: Any, element_id: str) -> list[int]:
    text = driver.find_element(_by("ID"), element_id).text
    return [int(n) for n in re.findall(r"\d+", text)]


def _choose(driver: Any, name: str, value: str) -> None:
    """Tap a score as a finger does: on the radio button, or on its label when styled so."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        ElementNotInteractableException,
    )

    radio = driver.find_element(_by("CSS_SELECTOR"), f'input[name="{name}"][value="{value}"]')
    try:
        radio.click()
    except (ElementNotInteractableException, ElementClickInterceptedException):
        ident = radio.get_attribute("id")
        labels = driver.find_elements(_by("CSS_SELECTOR"), f'label[for="{ident}"]') if ident else []
        labels = labels or radio.find_elements(_by("XPATH"), "./ancestor::label")
        labels[0].click()
    assert radio.is_selected(), (name, value)


def _rate(driver: Any, scores: dict[str, str], comment: str = "") -> str:
    """Fill the ballot and save it; returns the indicator rated once the next page shows."""
    code = _indicator(driver)
    names = {
        e.get_attribute("name")
        for e in driver.find_elements(_by("CSS_SELECTOR"), 'input[type="radio"]')
    }
    assert names == {f"r_{c}" for c in CRITERIA}, names  # one question per criterion
    for criterion, value in scores.items():
        _choose(driver, f"r_{criterion}", value)
    box = driver.find_element(_by("NAME"), "comment")
    box.clear()
    if comment:
        box.send_keys(comment)
    driver.find_element(_by("ID"), "save").click()
    _wait(driver, lambda d: _indicator(d) != code)  # acknowledged: the next one shows
    return code


def _received(driver: Any) -> int:
    return _numbers(driver, "received")[0]


def test_a_phone_votes_resumes_and_changes_a_rating_and_the_projector_reveals(
    tmp_path: Path,
    small_framework: Framework,
    browser: Any,  # noqa: F811
    projector_browser: Any,  # noqa: F811
    screenshot: Shot,  # noqa: F811
) -> None:
    root = tmp_path / "séances du jour"
    tokens = make_session(root, "Salle ɛ", phones=3, framework=small_framework)
    with Workshop.open(root=root, name="Salle ɛ", writable=False) as ws:
        order = list(ws.open_round().indicators)  # type: ignore[union-attr]
    with RoomServer(root, "Salle ɛ") as room:
        projector_browser.get(room.url + "/projector")
        assert _received(projector_browser) == 0
        screenshot(projector_browser, "projector-empty")

        # The slip's address, on a phone.
        slip = f"{room.url}/v/{tokens['P01']}"
        browser.get(slip)
        assert browser.execute_script("return window.innerWidth") == PHONE[0]
        assert browser.execute_script(  # nothing to scroll sideways on a small phone
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
        assert _indicator(browser) == order[0]
        assert _numbers(browser, "progress")[-1] == len(order)  # « 0 sur 5 »
        page = browser.page_source
        assert NAMES[1] not in page and tokens["P02"] not in page  # nobody else's data
        screenshot(browser, "phone-first-indicator")

        assert _rate(browser, dict.fromkeys(CRITERIA, "7"), COMMENT) == order[0]
        screenshot(browser, "phone-second-indicator")
        assert _rate(browser, {"relevance": "nsp", "feasibility": "3", "clarity": "4"}) == order[1]
        assert _rate(browser, dict.fromkeys(CRITERIA, "9")) == order[2]

        # Reloading (or opening the slip again later) resumes at the fourth.
        browser.refresh()
        assert _indicator(browser) == order[3]
        done = _numbers(browser, "progress")
        assert done[-1] == len(order) and done[0] in (3, 4), done
        screenshot(browser, "phone-resumed-at-fourth")

        # The projector's count rose (live, or at the latest when the page is shown again).
        from selenium.common.exceptions import TimeoutException

        try:
            _wait(projector_browser, lambda d: _received(d) >= 1, timeout=8)
        except TimeoutException:
            projector_browser.refresh()
        assert _received(projector_browser) == 1
        screenshot(projector_browser, "projector-one-received")

        # Changing a rating: the earlier answers are there, checked.
        browser.get(f"{slip}?i={order[0]}")
        assert _indicator(browser) == order[0]
        for criterion in CRITERIA:
            picked = browser.find_element(
                _by("CSS_SELECTOR"), f'input[name="r_{criterion}"][value="7"]'
            )
            assert picked.is_selected(), criterion
        assert browser.find_element(_by("NAME"), "comment").get_attribute("value") == COMMENT
        screenshot(browser, "phone-changing-first")
        _rate(browser, {"relevance": "2"}, COMMENT)
        assert _indicator(browser) == order[3]  # and back where the participant stopped

        # The other language, on the participant's demand.
        browser.get(f"{slip}?lang=en")
        assert browser.find_element(_by("TAG_NAME"), "html").get_attribute("lang") == "en"
        screenshot(browser, "phone-in-english")

        # The facilitator reveals the result on the projector.
        assert not projector_browser.find_elements(_by("ID"), "chart")
        projector_browser.find_element(_by("ID"), "reveal").click()
        chart = _wait(projector_browser, lambda d: d.find_element(_by("ID"), "chart"))
        assert chart.is_displayed()
        verdict = projector_browser.find_element(_by("ID"), "verdict")
        assert verdict.is_displayed() and verdict.text.strip()  # in words, not colour alone
        screenshot(projector_browser, "projector-revealed")
        assert room.stop() == 0, room.output()

    # The session holds the latest ballot of each indicator, from the phone.
    with Workshop.open(root=root, name="Salle ɛ", writable=False) as ws:
        mine = {b.indicator: b for b in ws.ballots(1) if b.participant == "P01"}
    assert sorted(mine) == sorted(order[:3])
    assert mine[order[0]].ratings == {"relevance": 2, "feasibility": 7, "clarity": 7}
    assert mine[order[0]].comment == COMMENT  # kept as typed, markup and all
    assert mine[order[1]].ratings == {"relevance": None, "feasibility": 3, "clarity": 4}
    assert mine[order[2]].ratings == dict.fromkeys(CRITERIA, 9)
    assert {b.source for b in mine.values()} == {"web"}


def test_the_phone_viewport_opens_a_slip_address(
    tmp_path: Path,
    small_framework: Framework,
    browser: Any,  # noqa: F811
    screenshot: Shot,  # noqa: F811
) -> None:
    root = tmp_path / "séances du jour"
    tokens = make_session(root, "Salle ɛ", phones=2, framework=small_framework)
    with RoomServer(root, "Salle ɛ") as room:
        browser.get(f"{room.url}/v/{tokens['P02']}")
        assert browser.execute_script("return window.innerWidth") == PHONE[0]
        assert browser.find_element(_by("TAG_NAME"), "html").get_attribute("lang") == "fr"
        good = browser.page_source
        screenshot(browser, "phone-slip")
        browser.get(f"{room.url}/v/{'A' * 12}")  # a slip typed wrong, or forged
        assert browser.page_source != good
        screenshot(browser, "phone-forged-slip")
        assert room.stop() == 0, room.output()
