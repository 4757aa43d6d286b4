"""The real shipped model, loaded offline, on pairs whose answer is obvious."""

import json

import pytest

from claimcheck.loading import ModelError, label_order, resolve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scorer():
    from claimcheck.nli import NLIScorer

    return NLIScorer()


OVERLAP_BIAS = pytest.mark.xfail(
    strict=True, reason="known weakness of the shipped model: a near-copy with one antonym "
    "swapped reads as entailment (model card, Limits); strict, so a fix shows up here")


@pytest.mark.parametrize("a, b", [
    ("No one was injured in the crash.", "Three people were hurt in the crash."),
    ("The mayor attended the ceremony.", "The mayor did not attend the ceremony."),
    pytest.param("The home team won the final 2-1.", "The home team lost the final 2-1.",
                 marks=OVERLAP_BIAS),
    pytest.param("Unemployment rose to 5.2% in March.", "Unemployment fell to 5.2% in March.",
                 marks=OVERLAP_BIAS),
])
def test_contradictions_in_both_directions(scorer, a, b):
    ab, ba = scorer.score_both([(a, b)])[0]
    assert ab.label == "contradiction", ab
    assert ba.label == "contradiction", ba


def test_entailment_and_neutral(scorer):
    ent, neu = scorer.score([
        ("Police arrested 14 people after the match on Saturday.",
         "Police arrested more than a dozen people after the match."),
        ("Police arrested 14 people after the match on Saturday.",
         "The club's new stadium will open next year."),
    ])
    assert ent.label == "entailment", ent
    assert neu.label != "contradiction", neu


def test_scores_are_probabilities_in_input_order(scorer):
    pairs = [("A long premise about a council meeting that went on for hours " * 3, "Short."),
             ("Short.", "Short.")]
    out = scorer.score(pairs)
    assert len(out) == 2
    for s in out:
        assert abs(s.entailment + s.neutral + s.contradiction - 1) < 1e-4
    alone = [scorer.score([pairs[0]])[0], scorer.score([pairs[1]])[0]]
    # padding moves the last digits only in fp32; in bf16 up to 0.021 on 160 BBC pairs
    # (bench/precision.py), and a story's pairs are read in batches of their own, so that
    # its report is the same alone and in a batch (batch.score_chunk)
    slack = 1e-4 if scorer.nli.precision == "fp32" else 0.03
    for batched, single in zip(out, alone, strict=True):
        assert batched.contradiction == pytest.approx(single.contradiction, abs=slack)
        assert batched.entailment == pytest.approx(single.entailment, abs=slack)


def test_label_order_is_read_from_the_config():
    assert label_order({0: "contradiction", 1: "neutral", 2: "entailment"}) == (2, 1, 0)
    assert label_order({0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}) == (0, 1, 2)
    with pytest.raises(ModelError, match="3-way"):
        label_order({0: "entailment", 1: "not_entailment"})


def test_the_default_model_is_the_embedded_one_and_local_paths_are_checked(tmp_path):
    assert resolve(None).endswith("models/claimcheck-nli-minilm")
    with pytest.raises(ModelError, match="no config.json"):
        resolve(tmp_path)
    assert resolve("someone/some-nli-model") == "someone/some-nli-model"  # a hub id, untouched


CASCADE_PAIRS = [
    ("No one was injured in the crash.", "Three people were hurt in the crash."),
    ("The mayor attended the ceremony.", "The mayor did not attend the ceremony."),
    ("The mayor attended the ceremony.", "The ceremony was held in the town hall."),
    ("Shares rose on Monday.", "The company's shares gained value on Monday."),
]


def test_a_cascade_rereads_only_what_the_small_model_finds_suspicious(scorer):
    from claimcheck.nli import CascadeScorer, NLIScorer, suspicion

    # the same weights on both sides: every score must come out as the small model alone
    # gives it, and the counts show which model read what
    large = NLIScorer(scorer.nli)
    cascade = CascadeScorer(scorer, large, screen=0.5)
    alone = scorer.score_both(CASCADE_PAIRS)
    hot = sum(suspicion(ab) >= 0.5 for ab, _ in alone)
    assert 0 < hot < len(CASCADE_PAIRS)
    both = cascade.score_both(CASCADE_PAIRS)
    for (ab, ba), (ab2, ba2) in zip(both, alone, strict=True):
        assert ab.contradiction == pytest.approx(ab2.contradiction, abs=1e-5)
        assert ba.contradiction == pytest.approx(ba2.contradiction, abs=1e-5)
    # the small model reads every pair forward and the cold ones backward; the large
    # model reads the hot ones both ways
    assert cascade.reads == {"small": 2 * len(CASCADE_PAIRS) - hot, "large": 2 * hot,
                             "pairs_reread": hot}
    assert "->" in cascade.name and "0.5" in cascade.name


def test_a_cascade_takes_a_screen_per_pair(scorer):
    from claimcheck.nli import CascadeScorer, NLIScorer

    cascade = CascadeScorer(scorer, NLIScorer(scorer.nli), screen=0.5)
    n = len(CASCADE_PAIRS)
    cascade.score_both(CASCADE_PAIRS, screens=[2.0] * n)  # none reaches it
    assert cascade.reads["pairs_reread"] == 0
    cascade.score_both(CASCADE_PAIRS, screens=[0.0] + [2.0] * (n - 1))
    assert cascade.reads["pairs_reread"] == 1 and cascade.reads["large"] == 2


def test_the_precision_is_chosen_once_and_unknown_ones_are_refused(monkeypatch, tmp_path):
    import torch

    from claimcheck import loading
    from claimcheck.loading import auto_precision, native_bf16, pick_precision, unquantized

    cpu, gpu = torch.device("cpu"), torch.device("cuda")
    monkeypatch.delenv("CLAIMCHECK_PRECISION", raising=False)
    monkeypatch.setattr(loading, "PRECISION_CACHE", tmp_path / "precision.json")
    auto_precision.cache_clear()
    chosen = pick_precision(None, cpu)
    if not native_bf16():
        assert chosen == "fp32"
    else:  # measured once, kept, and the same on the next run
        seen = list(json.loads((tmp_path / "precision.json").read_text()).values())
        assert chosen == ("bf16" if seen[0] >= loading.BF16_MARGIN else "fp32")
        auto_precision.cache_clear()
        assert pick_precision("auto", cpu) == chosen
    assert pick_precision("auto", gpu) == "fp32"
    assert pick_precision("fp32", cpu) == "fp32"
    monkeypatch.setenv("CLAIMCHECK_PRECISION", "int8")
    assert pick_precision(None, cpu) == "int8"
    assert pick_precision("fp32", cpu) == "fp32"  # an explicit choice beats the variable
    assert unquantized(None) == "auto"  # int8 is for the first model only
    with pytest.raises(ModelError, match="unknown precision 'fp16'"):
        pick_precision("fp16", cpu)


def test_bf16_reads_as_fp32_does():
    """bf16 is the default where the CPU has it; it must not change what the model says."""
    from claimcheck.nli import NLIScorer, suspicion

    pairs = [("No one was injured in the crash.", "Three people were hurt in the crash."),
             ("The talks collapsed on Thursday.", "Both sides signed the deal on Friday."),
             ("Police arrested 14 people after the match.", "More than a dozen were held."),
             ("Shares in the bank rose 3% on Monday.", "The new stadium opens in May.")]
    fp32 = NLIScorer(precision="fp32")
    bf16 = NLIScorer(precision="bf16")
    assert fp32.name.endswith("minilm") and bf16.name.endswith("(bf16)")
    for a, b in zip(fp32.score(pairs), bf16.score(pairs), strict=True):
        assert a.label == b.label
        assert max(abs(x - y) for x, y in zip(a.as_dict().values(), b.as_dict().values(),
                                               strict=True)) < 0.03
        assert abs(suspicion(a) - suspicion(b)) < 0.03
