"""Reading a file and counting with Phragmén do not load numpy (its import alone is about
15 MiB, more than reading a 1 MB election takes); greedy and MES load it when they count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "Poland_Warszawa_2020_Praga-Poludnie.pb"

SCRIPT = """
import sys
from changemaker.budgeting.engine.pabulib import read_pabulib
from changemaker.budgeting.engine.rules import count
election = read_pabulib(sys.argv[1])
before = "numpy" in sys.modules
count(election, rule=sys.argv[2])
print(before, "numpy" in sys.modules)
"""


@pytest.mark.parametrize(
    ("rule", "loaded"),
    [("phragmen", "False False"), ("greedy", "False True"), ("mes", "False True")],
)
def test_numpy_is_loaded_only_by_the_rules_that_use_it(rule: str, loaded: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FIXTURE), rule],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).parents[4])),
    )
    assert out.stdout.split() == loaded.split()
