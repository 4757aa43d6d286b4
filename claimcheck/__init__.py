"""claimcheck: audit a news story for internal consistency.

    from claimcheck import audit
    report = audit(open("story.txt").read())
    for flag in report.flags:
        print(flag.kind, flag.severity, flag.explanation)

The names below are imported on first use (PEP 562), so that ``claimcheck.training``
and ``claimcheck.loading`` import without the rule pipeline's dependencies (a GPU
machine that trains the models has torch and transformers but not pysbd or dateparser).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

# torch's OpenMP threads spin while they wait for work. On a busy machine (a shared 2-core
# box, a batch beside other jobs) the spinning threads take the cores the work needs, and
# an audit runs at a fraction of its speed; PASSIVE threads sleep instead
# (bench/omp_wait.py). OpenMP reads the setting once, when torch is first imported, so it
# is set here, before any stage imports torch; a value the user set stands.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

if TYPE_CHECKING:
    from claimcheck.ingest import InputError, read_document
    from claimcheck.loading import ModelError
    from claimcheck.pipeline import Auditor, audit
    from claimcheck.schema import Claim, ClaimPair, Document, Flag, NLIScores, Report

_HOME = {
    "InputError": "ingest", "read_document": "ingest", "ModelError": "loading",
    "Auditor": "pipeline", "audit": "pipeline",
    **dict.fromkeys(("Claim", "ClaimPair", "Document", "Flag", "NLIScores", "Report"), "schema"),
}
__all__ = [
    "Auditor", "Claim", "ClaimPair", "Document", "Flag", "InputError", "ModelError",
    "NLIScores", "Report", "audit", "read_document",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")
    return getattr(importlib.import_module(f"claimcheck.{_HOME[name]}"), name)
