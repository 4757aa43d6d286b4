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
