"""Shared fixtures. Every test runs offline: the hub must never be reached."""

from __future__ import annotations

import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "story.txt"


def run_cli(monkeypatch, capsys, *args):
    """Run ``claimcheck ARGS`` in process: (exit code, stdout, stderr)."""
    import sys

    from claimcheck import cli

    monkeypatch.setattr(sys, "argv", ["claimcheck", *map(str, args)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def make_claims(*texts: str, base: str | None = None):
    """Claims of one sentence each, laid end to end as one story would hold them."""
    from claimcheck.claims import sentence_claims
    from claimcheck.schema import Sentence

    out, pos = [], 0
    for i, t in enumerate(texts):
        out += sentence_claims(Sentence(i, pos, pos + len(t), t), len(out) + 1, base)
        pos += len(t) + 1
    return out


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared/seed/story.txt is not beside this checkout")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def auditor():
    from claimcheck.pipeline import Auditor

    return Auditor()


@pytest.fixture(scope="session")
def seed_report(auditor, seed_text):
    return auditor.audit_text(seed_text, "story.txt")


# Property tests (tests/fuzzing.py) keep a small budget here; bench/fuzz/run_fuzz.py runs
# the same properties with a large one. No deadline: a 10,000-character story is slow once.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("claimcheck", max_examples=40, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "claimcheck"))
