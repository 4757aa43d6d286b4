from claimcheck.report import document_score
from claimcheck.schema import Flag, NLIScores

NLI = NLIScores(0.0, 0.1, 0.9)


def flag(kind, severity):
    return Flag(kind, severity, ("c1", "c2"), ((0, 1), (2, 3)), "", NLI)


def test_score_falls_with_each_flag_and_sourcing_weighs_less():
    assert document_score([]) == 1.0
    one = document_score([flag("numeric", 0.9)])
    two = document_score([flag("numeric", 0.9), flag("date", 0.9)])
    assert 0.0 <= two < one < 1.0
    assert document_score([flag("sourcing", 0.9)]) > one
