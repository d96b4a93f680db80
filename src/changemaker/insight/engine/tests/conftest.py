"""Shared fixtures: one labelled synthetic data set, linked once per test session."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from changemaker.insight.engine.addresses.matching import with_dwellings
from changemaker.insight.engine.households import assign_households
from changemaker.insight.engine.linkage.linker import PersonLinker
from changemaker.insight.engine.linkage.parameters import LinkageParameters, LinkResult
from changemaker.insight.engine.standardise import standardise_frame
from changemaker.insight.engine.synthetic import generate
from changemaker.insight.engine.synthetic.people import SyntheticConfig

#: Small enough for the shared 2-core test machine, large enough for stable accuracy figures.
N_PEOPLE = 1500
PARAMETERS = LinkageParameters(u_max_pairs=1e6)


@dataclass(frozen=True)
class Linked:
    raw: pd.DataFrame
    standard: pd.DataFrame
    linker: PersonLinker
    result: LinkResult
    households: pd.Series


@pytest.fixture(scope="session")
def linked() -> Linked:
    raw = generate(SyntheticConfig(n_people=N_PEOPLE, seed=2026))
    standard, _matches = with_dwellings(standardise_frame(raw))  # the pipeline's dwellings
    linker = PersonLinker(PARAMETERS).fit(standard)
    result = linker.link(standard)
    households = assign_households(standard, result.person_ids)
    return Linked(raw, standard, linker, result, households)
