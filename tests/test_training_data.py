"""The training data readers: dev splits are held out by premise, never trained on."""

import json

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


def test_the_frozen_news_test_splits_share_no_sentence_with_the_training_pairs():
    from claimcheck.training.data import NEWS_PAIRS, read_news_pairs

    train, dev = news_train_dev()
    seen = {s for p in train + dev for s in (p.premise, p.hypothesis)}
    for split in ("test", "test_story"):
        frozen = read_news_pairs(NEWS_PAIRS / split)
        assert frozen and not seen & {s for p in frozen for s in (p.premise, p.hypothesis)}


class _MarkerScorer:
    """Reads a pair as a contradiction when both claims mention the marker word."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def score_both(self, pairs, reverse_if=None):
        from claimcheck.schema import NLIScores

        def one(a: str, b: str) -> NLIScores:
            hit = self.marker in a and self.marker in b
            return NLIScores(0.05, 0.05, 0.9) if hit else NLIScores(0.1, 0.85, 0.05)

        return [(one(a, b), one(b, a)) for a, b in pairs]


def test_bbc_neutrals_put_the_misread_pairs_first_and_skip_the_bench_stories(tmp_path):
    import io
    import tarfile

    from claimcheck.training.data import bbc_story_pairs

    archive = tmp_path / "bbc.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for i in range(8):
            marker = "harbour" if i in (2, 7) else "museum"
            text = (f"Story {i}\n\nThe {marker} board met on Monday to discuss the plan for "
                    f"site {i}.\n\nThe {marker} board said the plan for site {i} would cost "
                    f"four million pounds.\n\nCouncillors in town {i} will vote on the "
                    f"{marker} plan in March.")
            info = tarfile.TarInfo(f"bbc/{i:03d}.txt")
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    pairs = bbc_story_pairs(archive, 6, scorer=_MarkerScorer("harbour"), hard_share=0.5)
    assert len(pairs) == 6 and {p.label for p in pairs} == {"neutral"}
    hard = [p for p in pairs if p.kind == "bbc_hard"]
    assert len(hard) == 2 and hard[0].premise == hard[1].hypothesis  # one pair, both ways
    assert all("harbour" in p.premise for p in hard)
    used = " ".join(p.premise + p.hypothesis for p in pairs)
    assert not any(f"site {i}" in used or f"town {i}" in used for i in (0, 1, 4, 5))


def test_mined_story_pairs_are_kept_so_a_resumed_run_trains_on_the_same_list(tmp_path):
    import json

    from claimcheck.training.train import TrainConfig, story_pairs, story_pairs_key

    cfg = TrainConfig(stage="story", shared=tmp_path / "no-archive-here", work=tmp_path,
                      init=tmp_path / "model", story_pairs=2)
    key = story_pairs_key(cfg)
    rows = [["A said one thing.", "B said another.", "neutral", "bbc_hard", "bbc"],
            ["C rose.", "D fell.", "neutral", "bbc_same_story", "bbc"]]
    (tmp_path / "story_pairs.json").write_text(json.dumps({"key": key, "pairs": rows}))
    pairs = story_pairs(cfg)  # no archive and no model: read back, not mined again
    assert [p.premise for p in pairs] == ["A said one thing.", "C rose."]
    assert pairs[0].kind == "bbc_hard"


def _one_story_folder(root, split):
    import json
    import shutil
    from pathlib import Path

    eval_dir = Path(__file__).parent.parent / "data" / "eval"
    label = json.loads((eval_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines()[0])
    folder = root / "batch"
    folder.mkdir()
    shutil.copy(eval_dir / label["story"], folder / label["story"])
    (folder / "labels.jsonl").write_text(json.dumps(label | {"split": split}) + "\n",
                                         encoding="utf-8")
    return label


def test_labelled_story_pairs_read_the_planted_pair_both_ways(tmp_path):
    from claimcheck.training.data import eval_story_labels, labelled_story_pairs

    label = _one_story_folder(tmp_path, "tuning")
    pairs = labelled_story_pairs(eval_story_labels(["batch"], root=tmp_path), neutrals=5)
    planted = [p for p in pairs if p.label == "contradiction"]
    assert len(planted) == 2 and planted[0].premise == planted[1].hypothesis
    assert label["flags"][0]["b"] in planted[0].premise + planted[0].hypothesis
    assert 0 < sum(p.label == "neutral" for p in pairs) <= 5


def test_labelled_story_pairs_refuse_the_frozen_test(tmp_path):
    from claimcheck.training.data import eval_story_labels

    _one_story_folder(tmp_path, "test")
    with pytest.raises(ValueError, match="frozen"):
        eval_story_labels(["batch"], root=tmp_path)


def test_training_stories_give_their_traps_as_neutrals_and_refuse_other_splits(tmp_path):
    from claimcheck.training.data import labelled_story_pairs, train_story_labels

    label = _one_story_folder(tmp_path, "train")
    text = (tmp_path / "batch" / label["story"]).read_text(encoding="utf-8")
    flag = label["flags"][0]
    trap = {"a": flag["a"], "b": flag["b"]}  # the planted pair relabelled as a trap
    (tmp_path / "batch" / "labels.jsonl").write_text(
        json.dumps(label | {"flags": [], "traps": [trap], "split": "train"}) + "\n",
        encoding="utf-8")
    pairs = labelled_story_pairs(train_story_labels([tmp_path / "batch"]), neutrals=0)
    assert [p.kind for p in pairs] == ["story_trap"] and pairs[0].label == "neutral"
    assert flag["a"] in text and flag["a"] in pairs[0].premise + pairs[0].hypothesis
    (tmp_path / "other").mkdir()
    _one_story_folder(tmp_path / "other", "tuning")
    with pytest.raises(ValueError, match="not a training story"):
        train_story_labels([tmp_path / "other" / "batch"])
