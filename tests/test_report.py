import json
from pathlib import Path

import pytest

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


# --- the JSON report: its schema, and what hostile input does to it ----------------------

ROOT = Path(__file__).resolve().parent.parent


def readme_example() -> dict:
    """The JSON report shown in README.md under "--format json"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### `--format json`", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    return json.loads(block)


def test_schema_is_the_readme_json_exactly():
    from tests.fuzzing import report_schema, report_validator

    example, schema = readme_example(), report_schema()
    report_validator().validate(example)
    defs = schema["$defs"]
    assert set(example) == set(schema["properties"]) == set(schema["required"])
    assert set(example["flags"][0]) == set(defs["flag"]["properties"])
    assert set(example["claims"][0]) == set(defs["claim"]["properties"])
    assert set(example["claims"][0]["values"][0]) <= set(defs["value"]["properties"])
    assert set(defs["flag"]["properties"]["kind"]["enum"]) == {
        "numeric", "date", "place", "role", "outcome", "direction", "contradiction",
        "sourcing", "sources_disagree"}
    assert set(defs["claim"]["properties"]["certainty"]["enum"]) == {
        "asserted", "confirmed", "reported", "believed", "unclear", "denied"}


def test_schema_refuses_what_the_readme_rules_out():
    import jsonschema

    from tests.fuzzing import report_validator

    for bad in ({"extra": 1}, {"score": 1.5}, {"flags": [readme_example()["flags"][0] | {
            "kind": "gossip"}]}, {"claims": [readme_example()["claims"][0] | {
                "certainty": "sure"}]}):
        with pytest.raises(jsonschema.ValidationError):
            report_validator().validate(readme_example() | bad)


def test_reports_of_any_story_are_valid_json_with_exact_offsets():
    """Real claim extraction; flags from the real rules over hypothesis-chosen NLI scores."""
    from tests.fuzzing import run_property

    run_property("text", max_examples=60)


def test_markup_in_a_story_is_printed_not_parsed():
    from tests.fuzzing import check_text

    check_text("Blast at [bold]depot[/]\n\nThe [/] fire [red]killed two [/red] people, police"
               " said [/].", [NLIScores(0.0, 0.0, 1.0)])


@pytest.mark.slow
def test_real_model_reports_on_fuzzed_stories_are_valid(auditor):
    from claimcheck.ingest import InputError, make_document
    from tests.fuzzing import check_report, run_property

    def audit_with_the_model(text: str, scores: list, all_pairs: bool) -> None:
        try:
            doc = make_document(text, "fuzz.txt")
        except InputError:
            return
        check_report(auditor.audit_document(doc))

    run_property("text", max_examples=8, check=audit_with_the_model)
