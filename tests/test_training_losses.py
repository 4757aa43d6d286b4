"""The training loss and the files a lent GPU sends back (train.py, gpu_run.py)."""

import pytest
import torch

from claimcheck.training.data import Pair
from claimcheck.training.train import repeated, soft_cross_entropy, targets


def test_gold_labels_give_plain_cross_entropy_and_a_teacher_gives_its_distribution():
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]])
    pairs = [Pair("a", "b", "entailment"), Pair("a", "c", "neutral", soft=(0.2, 0.3, 0.5))]
    target = targets(pairs, torch.device("cpu"))
    assert torch.allclose(target, torch.tensor([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]))
    gold = soft_cross_entropy(logits[:1], target[:1])
    assert gold.item() == pytest.approx(torch.nn.functional.cross_entropy(
        logits[:1], torch.tensor([0])).item())
    taught = soft_cross_entropy(logits[1:], target[1:])
    kl = torch.nn.functional.kl_div(torch.log_softmax(logits[1:], -1), target[1:],
                                    reduction="batchmean")
    entropy = -(target[1:] * target[1:].log()).sum()
    assert taught.item() == pytest.approx((kl + entropy).item())


def test_results_cut_into_pieces_join_back(tmp_path, monkeypatch):
    from claimcheck.training import gpu_run

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "weights.bin").write_bytes(bytes(range(256)) * 400)
    (folder / "config.json").write_text("{}")
    monkeypatch.setattr(gpu_run, "MAX_PIECE", 30_000)
    gpu_run._tar(folder, tmp_path / "model.tar")
    pieces = sorted(tmp_path.glob("model.tar.*"))
    assert len(pieces) > 3 and all(p.stat().st_size <= 30_000 for p in pieces)
    gpu_run.untar(pieces, tmp_path / "back")
    assert (tmp_path / "back" / "model" / "weights.bin").read_bytes() == bytes(range(256)) * 400


def test_repeated_news_pairs_read_contradictions_both_ways_round():
    c = Pair("The mill closed.", "The mill is open.", "contradiction")
    e = Pair("The mill closed in 1990.", "The mill closed.", "entailment")
    assert repeated([c, e], 2, flip=False) == [c, e, c, e]
    flipped = repeated([c, e], 3, flip=True)
    assert flipped[0] == c and flipped[3] == e  # only contradictions turn round
    assert (flipped[2].premise, flipped[2].hypothesis) == (c.hypothesis, c.premise)
    assert flipped[4] == c


def test_one_copy_turns_every_second_contradiction_round():
    c1 = Pair("The mill closed.", "The mill is open.", "contradiction")
    c2 = Pair("The dam held.", "The dam burst.", "contradiction")
    once = repeated([c1, c2], 1, flip=True)
    assert once[0] == c1
    assert (once[1].premise, once[1].hypothesis) == (c2.hypothesis, c2.premise)
