"""Shared fixtures: real Polis conversations (CC BY 4.0, see fixtures/README.md)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from changemaker.consultations.engine import Conversation, OpinionMap, load_conversation

FIXTURES = Path(__file__).parent / "fixtures"
MATH_FIXTURE = "polis-math-fixture-267"
OPEN_DATA = [
    "brexit-consensus",
    "15-per-hour-seattle",
    "vtaiwan.uberx",
    "american-assembly.bowling-green",
]


@pytest.fixture(scope="session")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``export_dir(name)``: a folder in the export format (gzip files unpacked)."""
    cache: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in cache:
            out = tmp_path_factory.mktemp(name)
            for f in (FIXTURES / name).iterdir():
                if f.suffix == ".gz":
                    with gzip.open(f, "rb") as src, open(out / f.stem, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                else:
                    shutil.copy(f, out / f.name)
            cache[name] = out
        return cache[name]

    return get


@pytest.fixture(scope="session")
def conversation(export_dir: Any) -> Any:
    cache: dict[str, Conversation] = {}

    def get(name: str) -> Conversation:
        if name not in cache:
            cache[name] = load_conversation(export_dir(name))
        return cache[name]

    return get


@pytest.fixture(scope="session")
def fitted(conversation: Any) -> Any:
    """``fitted(name)``: an OpinionMap fitted with default parameters (cached per session)."""
    cache: dict[str, OpinionMap] = {}

    def get(name: str) -> OpinionMap:
        if name not in cache:
            conv = conversation(name)
            cache[name] = OpinionMap().fit(conv.votes, conv.statements)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def polis_math() -> dict[str, Any]:
    with gzip.open(FIXTURES / MATH_FIXTURE / "math-pca2.json.gz", "rt", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def polis_grouping(math: dict[str, Any]) -> dict[int, int]:
    """Participant -> Polis group id, through Polis' base clusters."""
    bc = math["base-clusters"]
    members = dict(zip(bc["id"], bc["members"], strict=True))
    return {p: g["id"] for g in math["group-clusters"] for b in g["members"] for p in members[b]}
