"""Shared fixtures: a small bilingual framework and sessions in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hsvalidate.framework import Dimension, Framework, Indicator, Outcome, Text
from hsvalidate.sessions import SESSIONS_ENV


@pytest.fixture
def small_framework() -> Framework:
    """Two dimensions, three outcomes, five indicators, with accents and Bambara letters."""

    def ind(code: str, fr: str, en: str) -> Indicator:
        return Indicator(
            code=code,
            text=Text(fr, en),
            definition=Text(f"Définition de {code} (ɛ ɔ ɲ ŋ)", f"Definition of {code}"),
        )

    return Framework(
        title=Text("Cadre de test — sécurité humaine", "Test framework — human security"),
        dimensions=(
            Dimension(
                "D1",
                Text("Sécurité personnelle", "Personal security"),
                (
                    Outcome(
                        "D1.O1",
                        Text("Les violences baissent", "Violence decreases"),
                        (
                            ind("D1.O1.I1", "Nombre d'incidents signalés", "Incidents reported"),
                            ind(
                                "D1.O1.I2",
                                "Part des femmes qui se sentent en sécurité",
                                "Women feeling safe",
                            ),
                        ),
                    ),
                    Outcome(
                        "D1.O2",
                        Text("L'alerte précoce fonctionne", "Early warning works"),
                        (ind("D1.O2.I1", "Alertes suivies d'une réponse", "Alerts answered"),),
                    ),
                ),
            ),
            Dimension(
                "D2",
                Text("Sécurité communautaire", "Community security"),
                (
                    Outcome(
                        "D2.O1",
                        Text("Les conflits fonciers se règlent", "Land conflicts are settled"),
                        (
                            ind(
                                "D2.O1.I1",
                                "Conflits réglés par médiation à Mopti",
                                "Conflicts mediated",
                            ),
                            ind(
                                "D2.O1.I2",
                                "Comités de paix actifs à Ségou",
                                "Active peace committees",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        source="test.yaml",
    )


@pytest.fixture
def framework_file(tmp_path: Path, small_framework: Framework) -> Path:
    """The small framework written as the tool's own YAML, in a folder with spaces and accents."""
    from hsvalidate.framework_io import save_framework_yaml

    folder = tmp_path / "Cadre à valider"
    folder.mkdir()
    path = folder / "cadre test.yaml"
    save_framework_yaml(small_framework, path)
    return path


@pytest.fixture
def sessions_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A sessions folder with a space in its path, used through the environment variable."""
    folder = tmp_path / "mes sessions"
    monkeypatch.setenv(SESSIONS_ENV, str(folder))
    monkeypatch.chdir(tmp_path)
    yield folder


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Service-level tests read messages in English unless they choose a language.

    Commands still follow their session's language (French by default), as users see.
    """
    from hsvalidate import i18n

    monkeypatch.setenv(i18n.LANG_ENV, "en")
    monkeypatch.delenv("LANGUAGE", raising=False)
    i18n.set_language("en")
    yield
    i18n.set_language("en")
