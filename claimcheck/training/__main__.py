"""``python -m claimcheck.training``: train the embedded NLI model (see train.py)."""

from claimcheck.cli import app

if __name__ == "__main__":
    app(["train-nli", *__import__("sys").argv[1:]])
