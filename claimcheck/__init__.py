"""claimcheck: audit a news story for internal consistency.

    from claimcheck import audit
    report = audit(open("story.txt").read())
    for flag in report.flags:
        print(flag.kind, flag.severity, flag.explanation)
"""

from claimcheck.ingest import InputError, read_document
from claimcheck.loading import ModelError
from claimcheck.pipeline import Auditor, audit
from claimcheck.schema import Claim, ClaimPair, Document, Flag, NLIScores, Report

__all__ = [
    "Auditor", "Claim", "ClaimPair", "Document", "Flag", "InputError", "ModelError",
    "NLIScores", "Report", "audit", "read_document",
]
__version__ = "0.1.0"
