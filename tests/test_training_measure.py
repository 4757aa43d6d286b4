"""Measuring a trained model (claimcheck/training/measure.py): thresholds from dev only."""

from claimcheck.schema import NLIScores
from claimcheck.training import measure  # not its names: pytest would collect test_report
from claimcheck.training.data import Pair


def test_each_direction_is_measured_at_the_dev_threshold_that_suits_it():
    """measure.calibrate picks a dev threshold per reading; test_report applies each."""

    def reading(c: float) -> NLIScores:
        return NLIScores(0.0, 1.0 - c, c)

    # forward readings separate the labels at 0.7, backward ones at 0.3
    scores = [(reading(0.8), reading(0.4)), (reading(0.75), reading(0.35)),
              (reading(0.6), reading(0.2)), (reading(0.1), reading(0.1))]
    pairs = [Pair("p", "h", label, "kind", "test")
             for label in ("contradiction", "contradiction", "neutral", "neutral")]
    cal = measure.calibrate(scores, pairs)
    own = cal["direction_thresholds"]
    assert 0.6 < own["premise_to_hypothesis"] <= 0.75
    assert 0.2 < own["hypothesis_to_premise"] <= 0.35
    report = measure.test_report(scores, pairs, cal["threshold"], own)
    for name in own:
        assert report["at_own_threshold"][name]["f1"] == 1.0
        assert report["at_own_threshold"][name]["threshold"] == own[name]
