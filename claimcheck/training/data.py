"""Training and dev data for the NLI model: human-labelled NLI sets and written news pairs.

The sources, all read where they live and never copied into the repository:

- ``../shared/data/nli/*.tsv.gz``: human-labelled 3-class NLI pairs (MultiNLI, TaxiNLI,
  SNLI dev, counterfactual SNLI, ConjNLI, Breaking NLI, SICK). Licences are listed in
  ``../shared/README.md`` and in the model card.
- ``data/news_pairs/train/*.jsonl``: news-sentence pairs the project wrote by hand
  (contradictions in different words, hard neutrals, paraphrases). The frozen test split in
  ``data/news_pairs/test/`` and ``test_story/`` are never read here.
- ``../shared/data/news/bbc-news-2225.tar.gz``: claimcheck's own candidate pairs from real,
  edited BBC stories, labelled neutral. Edited copy rarely contradicts itself, and these are
  exactly the pairs the model reads at run time: same story, same topic, different facts,
  which a model trained only on NLI sets calls contradictions. Half are hard negatives:
  the pairs the model being continued misreads. Only stories whose index in the sorted
  archive is 2 or 3 mod 4 are used; the false-alarm bench reads 0 mod 4, and the flag
  rules are tuned against 1 mod 4.
- ``data/train_stories/`` (``--train-stories``, stage story only): invented stories written
  for training, each with two planted contradictions and labelled traps; their claim pairs
  as claimcheck reads them (``labelled_story_pairs``). They are not evaluation stories, so
  training on them leaves every story of ``data/eval`` fit to calibrate and report on.
- ``data/eval/<folder>`` (``--eval-stories``, stage story only): the same pairs of the
  labelled *tuning* stories; the frozen test split is refused, and stories trained on are
  then no longer fit to calibrate on.

Dev splits are taken by premise (a stable hash), so no premise of a dev pair is ever
trained on: "MNLI-style dev" from MultiNLI + TaxiNLI, "SNLI held-out" from SNLI dev, and
"news dev" from the written news pairs.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import random
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claimcheck.loading import NLI_LABELS
from claimcheck.schema import Claim

NEWS_PAIRS = Path(__file__).resolve().parents[2] / "data" / "news_pairs"


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: str  # entailment | neutral | contradiction
    kind: str = ""  # the news corpus's kind ("negated_event"), else the set's name
    source: str = ""  # which set it came from
    soft: tuple[float, float, float] | None = None  # a teacher's probabilities, in NLI_LABELS order


# Each shared set: file, how many pairs to take at most (None = all), and whether
# its dev bucket is held out (and under which name). ConjNLI is noisy and Breaking NLI
# is 88% contradiction, so they are sampled down to keep the label balance.
SHARED_SETS: dict[str, tuple[str, int | None, str | None]] = {
    "mnli": ("mnli_train_20k.tsv.gz", None, "mnli_dev"),
    "taxinli": ("taxinli_10k.tsv.gz", None, "mnli_dev"),
    "snli": ("snli_dev.tsv.gz", None, "snli_heldout"),
    "cad_snli": ("cad_snli_train.tsv.gz", None, None),
    "conjnli": ("conjnli_adv_train.tsv.gz", 5000, None),
    "breaking": ("breaking_nli.tsv.gz", 2500, None),
    "sick": ("sick_train_trial.tsv.gz", None, "sick_dev"),
}
DEV_SHARE = {"mnli_dev": 0.1, "snli_heldout": 0.3, "sick_dev": 0.1, "news_dev": 0.15}


def in_dev(premise: str, share: float) -> bool:
    """A stable hash of the premise decides: every pair of one premise lands on one side."""
    digest = hashlib.sha1(premise.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def read_tsv(path: Path, source: str) -> list[Pair]:
    """A shared gzip TSV (premise, hypothesis, label); rows with another label are skipped."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 3 and row[2] in NLI_LABELS and row[0] != "premise":
                out.append(Pair(row[0], row[1], row[2], source, source))
    return out


def _sample(pairs: list[Pair], cap: int | None, seed: int) -> list[Pair]:
    if cap is None or len(pairs) <= cap:
        return pairs
    if pairs and pairs[0].source == "breaking":  # keep every rare entailment/neutral
        rare = [p for p in pairs if p.label != "contradiction"]
        rest = [p for p in pairs if p.label == "contradiction"]
        return rare + random.Random(seed).sample(rest, max(0, cap - len(rare)))
    return random.Random(seed).sample(pairs, cap)


def shared_pairs(nli_dir: Path, seed: int = 13) -> tuple[list[Pair], dict[str, list[Pair]]]:
    """(train, {dev name: pairs}) from the shared NLI sets."""
    train: list[Pair] = []
    dev: dict[str, list[Pair]] = {}
    for source, (name, cap, dev_name) in SHARED_SETS.items():
        pairs = read_tsv(nli_dir / name, source)
        if dev_name:
            dev.setdefault(dev_name, []).extend(
                p for p in pairs if in_dev(p.premise, DEV_SHARE[dev_name]))
            pairs = [p for p in pairs if not in_dev(p.premise, DEV_SHARE[dev_name])]
        train += _sample(pairs, cap, seed)
    return train, dev


def read_news_pairs(folder: Path) -> list[Pair]:
    """Every pair in ``folder/*.jsonl`` (the project's written news pairs)."""
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") in NLI_LABELS:
                out.append(Pair(row["premise"], row["hypothesis"], row["label"],
                                row.get("kind", ""), f"news:{row.get('domain', '')}"))
    return out


def news_train_dev(folder: Path = NEWS_PAIRS / "train") -> tuple[list[Pair], list[Pair]]:
    """The written news pairs, split by premise into (train, news dev)."""
    pairs = read_news_pairs(folder)
    dev = [p for p in pairs if in_dev(p.premise, DEV_SHARE["news_dev"])]
    return [p for p in pairs if not in_dev(p.premise, DEV_SHARE["news_dev"])], dev


def bbc_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The story files of the BBC archive in sorted order: the order every split of it
    (training shards here, bench/ samples) is taken by index from."""
    return sorted((m for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")
                   and "README" not in m.name), key=lambda m: m.name)


STORY_SHARDS = (2, 3)  # archive index mod 4 used for training; the bench reads 0, tuning 1


def bbc_story_pairs(archive: Path, n: int, seed: int = 13, scorer: object | None = None,
                    hard_share: float = 0.5) -> list[Pair]:
    """Up to ``n`` candidate claim pairs (pairing.py) of BBC stories, labelled neutral.

    Stories are those whose index in the sorted archive is in ``STORY_SHARDS`` mod 4.
    With a ``scorer`` (an ``NLIScorer`` of the model being continued), ``hard_share`` of the
    pairs are hard negatives: those it reads as contradictions both ways round (as the flag
    rules read them), most confident first, in both directions. The rest are drawn at random,
    so the model also keeps seeing the ordinary, easy pairs.
    """
    out = bbc_candidate_pairs(archive)
    rng = random.Random(seed)
    if scorer is None:
        return rng.sample(out, min(n, len(out)))
    # the flag rules trust the lower reading, so a pair misleads them only when both ways
    # read as contradiction; the reverse is read only where the forward one is high
    both = scorer.score_both([(p.premise, p.hypothesis) for p in out],  # type: ignore[attr-defined]
                             reverse_if=0.5)
    misread = sorted(((min(ab.contradiction, ba.contradiction), i)
                      for i, (ab, ba) in enumerate(both)), reverse=True)
    chosen = [i for p, i in misread[: int(n * hard_share) // 2] if p >= 0.5]
    hard = [q for i in chosen for q in (Pair(out[i].premise, out[i].hypothesis, "neutral",
                                             "bbc_hard", "bbc"),
                                        Pair(out[i].hypothesis, out[i].premise, "neutral",
                                             "bbc_hard", "bbc"))]
    taken = set(chosen)
    rest = [p for i, p in enumerate(out) if i not in taken]
    return hard + rng.sample(rest, min(n - len(hard), len(rest)))


def bbc_candidate_pairs(archive: Path, shards: tuple[int, ...] = STORY_SHARDS) -> list[Pair]:
    """Every candidate claim pair (pairing.py) of the BBC stories in ``shards``, labelled
    neutral: what a teacher model labels for distillation (training/gpu_run.py)."""
    from claimcheck.ingest import make_document
    from claimcheck.pipeline import prepare

    out: list[Pair] = []
    with tarfile.open(archive) as tar:
        for i, m in enumerate(bbc_members(tar)):
            if i % 4 in shards:
                text = tar.extractfile(m).read().decode("utf-8", "replace")  # type: ignore[union-attr]
                out += [Pair(a, b, "neutral", "bbc_same_story", "bbc")
                        for a, b in prepare(make_document(text, m.name)).texts]
    return out


def read_teacher_pairs(path: Path) -> list[Pair]:
    """Pairs with a teacher's probabilities (gzip JSON lines: premise, hypothesis, probs),
    labelled with the teacher's most probable class."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            probs = tuple(float(x) for x in row["probs"])
            label = NLI_LABELS[max(range(3), key=probs.__getitem__)]
            out.append(Pair(row["premise"], row["hypothesis"], label, "bbc_teacher", "bbc",
                            probs))  # type: ignore[arg-type]
    return out


EVAL = Path(__file__).resolve().parents[2] / "data" / "eval"
# planted kinds that are not contradictions to an NLI model: "it is not clear whether" a
# stated fact is neutral to it, not contradictory (flags.sourcing_tension reads those)
NOT_NLI_KINDS = frozenset({"sourcing"})


def eval_story_labels(folders: Sequence[str], root: Path = EVAL) -> list[tuple[Path, dict]]:
    """(path, label) of the labelled *tuning* stories directly in ``root/folder`` for each
    folder. Heldout stories are skipped and a frozen test story is refused."""
    from claimcheck.evaluate import read_labels

    out = []
    for folder in folders:
        for path, label in read_labels(root / folder):
            if path.parent != root / folder:
                continue  # a subfolder: another batch, named on its own
            split = label.get("split", "tuning")
            if split == "test":
                raise ValueError(f"{path} is in the frozen test split: never trained on")
            if split == "tuning":
                out.append((path, label))  # heldout stories stay out of training too
    return out


def train_story_labels(folders: Sequence[Path]) -> list[tuple[Path, dict]]:
    """(path, label) of the stories written for training (``data/train_stories/``): every
    labels.jsonl under each folder, whose stories must all say ``"split": "train"``, so that
    an evaluation story copied there by mistake is refused rather than trained on."""
    from claimcheck.evaluate import read_labels

    out = []
    for folder in folders:
        for path, label in read_labels(Path(folder)):
            if label.get("split") != "train":
                raise ValueError(f"{path} is not a training story (split {label.get('split')!r})")
            out.append((path, label))
    return out


def claims_holding(claims: Sequence[Claim], spans: tuple[tuple[int, int], tuple[int, int]]
                   ) -> tuple[Claim, Claim] | None:
    """The first claim overlapping each of two snippets, or None if either has none or
    both fall in one claim."""
    a, b = (next((c for c in claims if c.start < end and start < c.end), None)
            for start, end in spans)
    return None if a is None or b is None or a is b else (a, b)


def labelled_story_pairs(stories: Sequence[tuple[Path, dict]], neutrals: int = 20,
                         seed: int = 13) -> list[Pair]:
    """Claim pairs of labelled stories, in the stories' own words, as the model reads them
    at run time: each planted contradiction both ways round (its candidate pair, or the two
    claims holding its snippets where pairing.py missed it), each labelled trap ("traps":
    pairs that look at odds and are not) as a neutral, and up to ``neutrals`` other
    candidate pairs of the story as neutrals (the labels' "allowed" pairs left out).
    """
    from claimcheck.evaluate import label_spans, spans_hit
    from claimcheck.ingest import read_document
    from claimcheck.pipeline import prepare

    rng = random.Random(seed)
    out: list[Pair] = []
    for path, label in stories:
        doc = read_document(path)
        flags, story = label.get("flags", []), label["story"]
        planted = [label_spans(doc.text, e, story) for e in flags
                   if e["kind"] not in NOT_NLI_KINDS]
        traps = [label_spans(doc.text, e, story) for e in label.get("traps", [])]
        other = [label_spans(doc.text, e, story) for e in label.get("allowed", [])
                 + [e for e in flags if e["kind"] in NOT_NLI_KINDS]] + traps
        prepared = prepare(doc)
        paired: set[int] = set()
        rest = []
        for p in prepared.pairing.pairs:
            at = ((p.a.start, p.a.end), (p.b.start, p.b.end))
            hit = next((i for i, s in enumerate(planted) if spans_hit(at, s)), None)
            if hit is not None and hit not in paired:
                paired.add(hit)
                out += [Pair(p.a.text, p.b.text, "contradiction", "story_planted", "stories"),
                        Pair(p.b.text, p.a.text, "contradiction", "story_planted", "stories")]
            elif hit is None and not any(spans_hit(at, s) for s in other):
                rest.append(Pair(p.a.text, p.b.text, "neutral", "story_other", "stories"))
        for i, spans in enumerate(planted):
            if i not in paired and (found := claims_holding(prepared.claims, spans)):
                a, b = found
                out += [Pair(a.text, b.text, "contradiction", "story_planted", "stories"),
                        Pair(b.text, a.text, "contradiction", "story_planted", "stories")]
        for spans in traps:
            if found := claims_holding(prepared.claims, spans):
                out.append(Pair(found[0].text, found[1].text, "neutral", "story_trap", "stories"))
        out += rng.sample(rest, min(neutrals, len(rest)))
    return out
