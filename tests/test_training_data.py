"""The training data readers: dev splits are held out by premise, never trained on."""

import pytest

from claimcheck.training.data import in_dev, news_train_dev, shared_pairs
from tests.conftest import SHARED


def test_dev_split_is_by_premise():
    premise = "A man is playing a guitar on stage."
    assert in_dev(premise, 0.3) == in_dev("  a man is playing a guitar on stage.", 0.3)


@pytest.mark.slow
def test_no_dev_premise_is_trained_on():
    if not (SHARED / "data" / "nli" / "mnli_train_20k.tsv.gz").exists():
        pytest.skip("../shared/data is not beside this checkout")
    train, dev = shared_pairs(SHARED / "data" / "nli")
    trained = {p.premise.strip().lower() for p in train}
    for name in ("mnli_dev", "snli_heldout", "sick_dev"):
        assert dev[name] and not trained & {p.premise.strip().lower() for p in dev[name]}
    labels = {p.label for p in train}
    assert labels == {"entailment", "neutral", "contradiction"}


def test_news_pairs_split_by_premise():
    train, dev = news_train_dev()
    assert not {p.premise for p in train} & {p.premise for p in dev}
