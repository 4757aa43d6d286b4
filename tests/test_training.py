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
