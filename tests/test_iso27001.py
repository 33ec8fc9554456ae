"""ISO/IEC 27001:2022 from the same evidence: the catalogue, its checks (failing and passing
fixtures), several frameworks in one run, crosswalks, and the packs written for other tools."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from policylint.cli import main
from policylint.config import load_config
from policylint.engine import REGISTRY, Result, lint
from policylint.rulepack import load_packs, load_rulepack

from conftest import INCIDENTS, POLICY, SAMPLE, SAMPLE_AS_OF, line_of

Edit = Callable[[Path, str, str], None]
MIC, ISO = "mic-asp-saas-2008", "iso27001-2022"
RISKS = "registers/risk-register.yaml"
SOA = "registers/statement-of-applicability.yaml"
CAS = "registers/corrective-actions.yaml"
REVIEW = "records/management-reviews/2026-10-management-review.md"
INTERNAL = "records/audits/2026-09-internal-audit.md"
CLAUSES = ["4.3", "5.2", "5.3", "6.1.2", "6.1.3", "6.2", "7.2", "7.3", "7.5", "9.2", "9.3", "10.2"]
ANNEX = {"A.5": 37, "A.6": 8, "A.7": 14, "A.8": 34}


def run(*frameworks: str, root: Path = SAMPLE, lang: str = "en") -> Result:
    config = load_config(root)
    if frameworks:
        config = config.with_frameworks(frameworks)
    return lint(root, config, load_packs(config.frameworks), SAMPLE_AS_OF, lang)


def active(result: Result) -> list[tuple[str, str, int]]:
    return [(d.check_id, d.path, d.line) for d in result.active]


def cli(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout


# ---------------------------------------------------------------------------------------------
# the catalogue


def test_catalogue_has_the_clauses_and_every_annex_a_control() -> None:
    pack = load_rulepack(ISO, validate=True)
    annex = [i for i in pack.items.values() if i.chapter.startswith("A.")]
    assert len(annex) == 93
    for chapter, count in ANNEX.items():
        ids = [i.id for i in annex if i.chapter == chapter]
        assert ids == [f"{chapter}.{n}" for n in range(1, count + 1)]
    assert [i.id for i in pack.items.values() if not i.chapter.startswith("A.")] == CLAUSES


def test_every_item_has_own_words_and_an_honest_status() -> None:
    pack = load_rulepack(ISO)
    for item in pack.items.values():
        for lang in ("ja", "en"):
            assert item.title[lang].strip() and item.summary[lang].strip(), item.id
        if item.status == "checked":
            assert pack.checks_of_item(item.id), item.id
            assert item.evidence["ja"] and item.evidence["en"], item.id
        else:
            assert item.status == "not-assessable"
            assert item.reason["ja"] and item.reason["en"], item.id
            assert not pack.checks_of_item(item.id), item.id
    # every clause is checked; most technological controls are not assessable
    assert all(pack.items[c].status == "checked" for c in CLAUSES)
    tech = [i for i in pack.items.values() if i.chapter == "A.8"]
    assert sum(i.status == "not-assessable" for i in tech) >= 30


def test_catalogue_says_no_iso_text_is_reproduced() -> None:
    text = (Path(__file__).parent.parent / "rules" / ISO / "catalog.yaml").read_text("utf-8")
    assert "NOT reproduced" in text
    assert "no text of iso/iec 27001 is reproduced" in (
        load_rulepack(ISO).framework["copyright"]["en"].lower()
    )


def test_the_check_behind_a_5_9_is_the_check_behind_ii_4_1_1() -> None:
    mic, iso = load_rulepack(MIC), load_rulepack(ISO)
    for check in iso.checks_of_item("A.5.9"):
        assert check.same_as.startswith("II.4.1.1/")
        assert check.steps == mic.checks[check.same_as].steps
        assert check.code == mic.checks[check.same_as].code
        assert all(name in REGISTRY for name in check.code)


def test_every_reused_check_runs_the_mic_checks_code() -> None:
    mic, iso = load_rulepack(MIC), load_rulepack(ISO)
    reused = [c for c in iso.checks.values() if c.same_as]
    assert len(reused) >= 40
    for check in reused:
        assert check.steps == mic.checks[check.same_as].steps, check.id


# ---------------------------------------------------------------------------------------------
# the sample and init pass both packs


@pytest.mark.parametrize("frameworks", [(MIC, ISO), (ISO,), (ISO, MIC)])
def test_sample_passes_every_declared_pack(frameworks: tuple[str, ...]) -> None:
    result = run(*frameworks)
    assert active(result) == []
    assert len(result.diagnostics) == 1  # the excepted inventory gap of exc-2026-001


def test_sample_declares_both_packs() -> None:
    assert load_config(SAMPLE).frameworks == (MIC, ISO)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_init_with_the_iso_framework_passes_it(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "gov"
    code, _ = cli("init", str(target), "--lang", lang, "--framework", ISO, "--as-of", "2026-05-01")
    assert code == 0
    assert "framework: iso27001-2022" in (target / "policylint.yaml").read_text("utf-8")
    soa = yaml.safe_load((target / SOA).read_text("utf-8"))
    assert len(soa["items"]) == 93
    code, out = cli("check", str(target), "--as-of", "2026-05-01", "--lang", "en")
    # only the placeholders init writes remain (warnings, until replaced by real decisions)
    assert code == 0 and "0 error(s)" in out, out
    assert {line.split()[2] for line in out.splitlines() if ": WARNING " in line} == {
        "policylint/placeholder"
    }


# ---------------------------------------------------------------------------------------------
# failing fixtures of the pack's own checks (the passing fixture is the sample)


def test_missing_scope_section(sample: Path, edit: Edit) -> None:
    edit(sample / POLICY, "## 1. 目的及び適用範囲", "## 1. 目的")
    assert active(run(ISO, root=sample)) == [("4.3/isms-scope", POLICY, 2)]


def test_risk_without_owner(sample: Path, edit: Edit) -> None:
    edit(
        sample / RISKS,
        "    owner: p-suzuki-daisuke\n    likelihood: 3\n    impact: 5\n",
        "    likelihood: 3\n    impact: 5\n",
    )
    line = line_of(sample / RISKS, "id: risk-01")
    result = run(ISO, root=sample)
    assert active(result) == [("6.1.2/risk-register", RISKS, line)] * 1
    assert result.active[0].message == "risk 'risk-01' does not record owner"


def test_risk_owner_who_left(sample: Path, edit: Edit) -> None:
    edit(
        sample / RISKS,
        "owner: p-takahashi-misaki\n    likelihood: 1",
        "owner: p-matsumoto-jun\n    likelihood: 1",
    )
    line = line_of(sample / RISKS, "owner: p-matsumoto-jun")
    result = run(ISO, root=sample)
    assert active(result) == [("6.1.2/risk-register", RISKS, line)]
    assert "has left" in result.active[0].message


def test_no_risk_register(sample: Path) -> None:
    (sample / RISKS).unlink()
    assert ("6.1.2/risk-register", "policylint.yaml", 1) in active(run(ISO, root=sample))


def test_risk_reassessment_overdue(sample: Path, edit: Edit) -> None:
    edit(
        sample / RISKS,
        "    reviewed_on: 2026-09-30\n\n  - id: risk-02",
        "    reviewed_on: 2025-09-30\n\n  - id: risk-02",
    )
    line = line_of(sample / RISKS, "reviewed_on: 2025-09-30")
    result = run(ISO, root=sample)
    assert active(result) == [("6.1.2/risk-reviewed", RISKS, line)]
    assert result.active[0].message == (
        "risk 'risk-01' was due for reassessment on 2026-09-30 (last 2025-09-30, every 12 months)"
    )


def test_unknown_treatment(sample: Path, edit: Edit) -> None:
    edit(sample / RISKS, "treatment: share", "treatment: ignore")
    line = line_of(sample / RISKS, "treatment: ignore")
    assert active(run(ISO, root=sample)) == [("6.1.3/risk-treatment", RISKS, line)]


def test_retained_risk_not_accepted(sample: Path, edit: Edit) -> None:
    edit(sample / RISKS, "    accepted_by: p-sato-kenichi\n    accepted_on: 2026-04-01\n", "")
    line = line_of(sample / RISKS, "id: risk-04")
    result = run(ISO, root=sample)
    assert active(result) == [("6.1.3/residual-risk-accepted", RISKS, line)]
    assert result.active[0].message == (
        "risk 'risk-04' is retained but does not record accepted_by, accepted_on"
    )


def test_soa_missing_a_control(sample: Path, edit: Edit) -> None:
    edit(sample / SOA, "    control: A.7.4\n", "    control: A.7.3\n")
    dup = [
        i
        for i, t in enumerate((sample / SOA).read_text("utf-8").splitlines(), 1)
        if t == "    control: A.7.3"
    ][1]
    result = run(ISO, root=sample)
    assert sorted(active(result)) == sorted(
        [("6.1.3/soa-complete", SOA, dup), ("6.1.3/soa-complete", SOA, 3)]
    )
    messages = sorted(d.message for d in result.active)
    assert "does not decide on 1 Annex A control(s): A.7.4" in messages[1]
    assert "control A.7.3 is already decided in 'soa-a-7-3'" in messages[0]


def test_soa_unknown_control_and_no_justification(sample: Path, edit: Edit) -> None:
    edit(sample / SOA, "    control: A.8.34\n", "    control: A.8.35\n")
    line = line_of(sample / SOA, "control: A.8.35")
    result = run(ISO, root=sample)
    assert ("6.1.3/soa-complete", SOA, line) in active(result)
    assert any("'A.8.35' is not an Annex A control" in d.message for d in result.active)


def test_no_soa(sample: Path) -> None:
    (sample / SOA).unlink()
    assert active(run(ISO, root=sample)) == [("6.1.3/soa-complete", "policylint.yaml", 1)]


def test_soa_excludes_a_control_a_risk_relies_on(sample: Path, edit: Edit) -> None:
    edit(
        sample / SOA,
        "    control: A.8.13\n    applicable: true",
        "    control: A.8.13\n    applicable: false",
    )
    text = (sample / SOA).read_text("utf-8").splitlines()
    line = text.index("    control: A.8.13") + 2
    result = run(ISO, root=sample)
    assert active(result) == [("6.1.3/soa-matches-risks", SOA, line)]
    assert result.active[0].message == (
        "risk 'risk-02' is treated by A.8.13, which the Statement of Applicability entry "
        "'soa-a-8-13' declares not applicable"
    )


def test_policy_without_objectives(sample: Path, edit: Edit) -> None:
    text = (sample / POLICY).read_text("utf-8")
    start, end = text.index("objectives:\n"), text.index("revisions:\n")
    (sample / POLICY).write_text(text[:start] + text[end:], "utf-8")
    assert active(run(ISO, root=sample)) == [("6.2/objectives", POLICY, 2)]


def test_closed_incident_without_lessons(sample: Path, edit: Edit) -> None:
    edit(sample / INCIDENTS, "    lessons_learned: 添付ファイル", "    note: 添付ファイル")
    line = line_of(sample / INCIDENTS, "id: inc-2026-001")
    result = run(ISO, root=sample)
    assert active(result) == [("A.5.27/lessons-learned", INCIDENTS, line)]
    assert result.active[0].severity.value == "warning"


def test_internal_audit_overdue(sample: Path, edit: Edit) -> None:
    edit(sample / INTERNAL, "date: 2026-09-25", "date: 2025-09-25")
    line = line_of(sample / INTERNAL, "date: 2025-09-25")
    result = run(ISO, root=sample)
    assert active(result) == [("9.2/internal-audit", INTERNAL, line)]
    assert result.active[0].message == (
        "the latest internal audit 'ar-2026-internal' is dated 2025-09-25; "
        "the next was due on 2026-09-25"
    )


def test_management_review_without_management(sample: Path, edit: Edit) -> None:
    edit(
        sample / REVIEW,
        "attendees: [p-sato-kenichi, p-takahashi-misaki, p-suzuki-daisuke]",
        "attendees: [p-kato-ryo]",
    )
    line = line_of(sample / REVIEW, "attendees:")
    result = run(ISO, root=sample)
    assert active(result) == [("9.3/management-attends", REVIEW, line)]


def test_management_review_incomplete(sample: Path, edit: Edit) -> None:
    edit(sample / REVIEW, "decisions:", "resolutions:")
    assert active(run(ISO, root=sample)) == [("9.3/management-review", REVIEW, 2)]


def test_corrective_action_overdue_and_incomplete(sample: Path, edit: Edit) -> None:
    edit(sample / CAS, "due_on: 2027-01-31", "due_on: 2026-10-15")
    edit(sample / CAS, "    effectiveness: 2026-10", "    checked: 2026-10")
    due = line_of(sample / CAS, "due_on: 2026-10-15")
    first = line_of(sample / CAS, "id: ca-2026-01")
    result = run(ISO, root=sample)
    assert sorted(active(result)) == [
        ("10.2/corrective-action-overdue", CAS, due),
        ("10.2/corrective-actions", CAS, first),
    ]


# ---------------------------------------------------------------------------------------------
# several frameworks at once


def test_one_finding_serves_both_frameworks(sample: Path, edit: Edit) -> None:
    edit(sample / "registers/assets.yaml", "owner: cio", "owner: nobody")
    both = run(MIC, ISO, root=sample)
    owner = [d for d in both.active if d.check_id == "II.4.1.1/asset-owner"]
    assert len(owner) == 1
    assert [(s.framework, s.item, s.check) for s in owner[0].serves] == [
        (MIC, "II.4.1.1", "II.4.1.1/asset-owner"),
        (ISO, "A.5.9", "A.5.9/asset-owner"),
    ]
    assert not [d for d in both.active if d.check_id == "A.5.9/asset-owner"]
    iso_only = run(ISO, root=sample)
    assert [d.check_id for d in iso_only.active] == ["A.5.9/asset-owner"]


def test_each_primitive_runs_once_for_both_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    from policylint import engine

    calls: list[str] = []
    for name, fn in list(engine.REGISTRY.items()):

        def counted(ctx: object, params: object, _fn: object = fn, _n: str = name) -> object:
            calls.append(_n)
            return _fn(ctx, params)  # type: ignore[operator]

        monkeypatch.setitem(engine.REGISTRY, name, counted)
    run(MIC)
    mic_calls = len(calls)
    calls.clear()
    run(MIC, ISO)
    both = len(calls)
    own = sum(len(c.steps) for c in load_rulepack(ISO).checks.values() if not c.same_as)
    assert both == mic_calls + own


def test_json_and_sarif_name_every_item_served(sample: Path, edit: Edit, tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    edit(sample / "registers/assets.yaml", "owner: cio", "owner: nobody")
    code, out = cli("check", str(sample), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    schema = json.loads((Path(__file__).parent.parent / "schemas/output.schema.json").read_text())
    Draft202012Validator(schema).validate(doc)
    assert [f["id"] for f in doc["frameworks"]] == [MIC, ISO]
    d = next(x for x in doc["diagnostics"] if x["check"] == "II.4.1.1/asset-owner")
    assert [s["item"] for s in d["serves"]] == ["II.4.1.1", "A.5.9"]
    _code, out = cli("check", str(sample), "--format", "sarif")
    sarif = json.loads(out)
    res = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "II.4.1.1/asset-owner")
    assert [s["check"] for s in res["properties"]["serves"]] == [
        "II.4.1.1/asset-owner",
        "A.5.9/asset-owner",
    ]


def test_framework_option_selects_and_validates() -> None:
    code, out = cli("check", str(SAMPLE), "--framework", ISO, "--lang", "en")
    assert code == 0 and f"{len(load_packs([ISO]).all_checks())} checks run" in out
    r = CliRunner().invoke(main, ["check", str(SAMPLE), "--framework", "nist-800-53"])
    assert r.exit_code == 2 and "unknown framework 'nist-800-53'" in r.output


def test_rules_lists_controls_with_checks_or_reasons() -> None:
    code, out = cli("rules", "--framework", ISO, "--lang", "en")
    assert code == 0
    assert re.search(r"^A\.7\.4 .*\n    \(not assessable from a governance repository\)", out, re.M)
    assert "A.5.9/asset-owner" in out
    code, out = cli("rules", "--framework", ISO, "--format", "json")
    data = json.loads(out)
    assert len([i for i in data["items"] if i["id"].startswith("A.")]) == 93


def test_explain_finds_a_control_without_the_option() -> None:
    code, out = cli("explain", "A.5.9/asset-owner", "--lang", "en")
    assert code == 0 and "II.4.1.1/asset-owner" in out


def test_report_of_one_framework_shows_the_other(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    _code, out = cli(
        "report",
        str(SAMPLE),
        "--format",
        "json",
        "--lang",
        "en",
        "--framework",
        ISO,
        "--framework",
        MIC,
    )
    doc = json.loads(out)
    schema = json.loads((Path(__file__).parent.parent / "schemas/report.schema.json").read_text())
    Draft202012Validator(schema).validate(doc)
    items = {i["id"]: i for i in doc["items"]}
    assert len(items) == 105 and doc["framework"]["id"] == ISO
    assert items["A.7.1"]["status"] == "not-assessed"
    assert items["A.7.1"]["reason"] == "not-assessable" and items["A.7.1"]["note"]
    assert {
        "framework": MIC,
        "id": "II.4.1.1",
        "relationship": "intersect",
        "status": "excepted",
    }.items() <= items["A.5.9"]["mapped"][0].items()
    assert items["6.1.3"]["status"] == "met"


# ---------------------------------------------------------------------------------------------
# crosswalks


def test_crosswalk_covers_every_mic_item_and_names_known_ids() -> None:
    from policylint.crosswalk import load_crosswalk

    cw = load_crosswalk(MIC, ISO, validate=True)
    covered = {lk.source for lk in cw.links} | set(cw.unmapped)
    assert covered == set(load_rulepack(MIC).items)
    assert set(cw.unmapped) == {"II.8.1.1"}
    assert all(lk.rationale["ja"] and lk.rationale["en"] for lk in cw.links)


def test_crosswalk_command_formats_and_direction() -> None:
    code, out = cli("crosswalk", "--from", MIC, "--to", ISO, "--lang", "en")
    assert code == 0 and "II.4.1.1  Asset owners" in out and "intersect  A.5.9" in out
    code, out = cli("crosswalk", "--from", MIC, "--to", ISO, "--format", "json")
    data = json.loads(out)
    assert data["from"]["id"] == MIC and len(data["items"]) == 22
    code, out = cli("crosswalk", "--from", ISO, "--to", MIC, "--format", "markdown", "--lang", "en")
    assert "| A.5.1 |" in out and "| superset | II.1.1.1 |" in out
    r = CliRunner().invoke(main, ["crosswalk", "--from", MIC, "--to", "nist"])
    assert r.exit_code == 2 and "unknown framework 'nist'" in r.output


# ---------------------------------------------------------------------------------------------
# packs others can load


def test_oscal_catalogs_and_mapping_load_with_trestle(tmp_path: Path) -> None:
    trestle_catalog = pytest.importorskip("trestle.oscal.catalog")
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal import mapping as trestle_mapping

    for fw in (MIC, ISO):
        out = tmp_path / f"{fw}.json"
        code, _ = cli("catalog", "--framework", fw, "--format", "oscal", "-o", str(out))
        assert code == 0
        data = json.loads(out.read_text("utf-8"))
        assert data["catalog"]["metadata"]["oscal-version"] == OSCAL_VERSION
        model = trestle_catalog.Model.model_validate(data).catalog
        controls = [c for g in model.groups or [] for c in g.controls or []]
        assert len(controls) == (22 if fw == MIC else 105)
    code, out = cli("catalog", "--framework", MIC, "--mapping-to", ISO)
    mc = trestle_mapping.Model.model_validate(json.loads(out)).mapping_collection
    maps = mc.mappings[0].maps if isinstance(mc.mappings, list) else mc.mappings.maps
    assert {m.relationship for m in maps} <= {"equal-to", "subset-of", "intersects-with"}


def test_report_oscal_agrees_with_trestles_version() -> None:
    from trestle.oscal import OSCAL_VERSION

    from policylint.report.oscal import OSCAL_VERSION as OURS

    assert OURS == OSCAL_VERSION


def test_ciso_assistant_library_structure() -> None:
    _code, out = cli("catalog", "--framework", MIC, "--format", "ciso-assistant")
    lib = yaml.safe_load(out)
    for key in (
        "urn",
        "locale",
        "ref_id",
        "name",
        "version",
        "provider",
        "packager",
        "translations",
        "objects",
    ):
        assert key in lib, key
    assert lib["locale"] == "ja" and "en" in lib["translations"]
    urn = re.compile(
        r"^urn:([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9_-]+))?:(.+)$"
    )
    fw = lib["objects"]["framework"]
    assert urn.match(lib["urn"]) and urn.match(fw["urn"])
    nodes = fw["requirement_nodes"]
    by_urn = {n["urn"]: n for n in nodes}
    assert len(by_urn) == len(nodes) == 8 + 22
    for n in nodes:
        assert {"urn", "ref_id", "name", "depth", "assessable", "translations"} <= set(n)
        assert urn.match(n["urn"]) and n["translations"]["en"]["name"]
        if n["depth"] == 2:
            assert by_urn[n["parent_urn"]]["depth"] == 1 and n["assessable"] is True
            assert n["description"] and n["translations"]["en"]["description"]
    ms = lib["objects"]["requirement_mapping_set"]
    assert ms["target_framework_urn"] == "urn:intuitem:risk:framework:iso27001-2022"
    assert ms["source_framework_urn"] == fw["urn"]
    assert lib["dependencies"] == ["urn:intuitem:risk:library:iso27001-2022"]
    for m in ms["requirement_mappings"]:
        assert m["source_requirement_urn"] in by_urn
        assert re.fullmatch(
            r"urn:intuitem:risk:req_node:iso27001-2022:(a\.[5-8]\.\d+|[4-9](\.\d+)+|10\.\d+)",
            m["target_requirement_urn"],
        )
        assert m["relationship"] in {"equal", "subset", "superset", "intersect"}


def test_sample_repo_as_of_is_stable() -> None:
    assert load_config(SAMPLE).as_of == dt.date(2026, 11, 1)


def test_iso_oscal_report_loads_with_trestle_and_agrees_with_the_catalog() -> None:
    trestle_ar = pytest.importorskip("trestle.oscal.assessment_results")
    code, out = cli("report", str(SAMPLE), "--framework", ISO, "--format", "oscal")
    assert code == 0
    ar = trestle_ar.Model.model_validate(json.loads(out)).assessment_results
    targets = {f.target.target_id for f in ar.results[0].findings or []}
    code, out = cli("catalog", "--framework", ISO, "--format", "oscal")
    catalog = json.loads(out)["catalog"]
    controls = {c["id"] for g in catalog["groups"] for c in g["controls"]}
    assert targets == controls and "clause-6.1.3" in controls and "A.5.9" in controls


def test_every_own_check_of_the_pack_has_a_failing_case_here() -> None:
    # the checks that run MIC code (same_as) fail on the MIC pack's cases (test_rules_items.py)
    text = Path(__file__).read_text("utf-8")
    own = [c.id for c in load_rulepack(ISO).checks.values() if not c.same_as]
    assert [c for c in own if f'"{c}"' not in text] == []
    for check in load_rulepack(ISO).checks.values():
        assert check.doc["what"]["ja"] and check.doc["what"]["en"], check.id
        assert check.doc["fail"].strip() and check.doc["pass"].strip(), check.id
        assert check.hint["ja"] and check.hint["en"], check.id


def test_iso_report_in_the_workbook_and_calendar_formats(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "iso.xlsx"
    code, _ = cli("report", str(SAMPLE), "--framework", ISO, "--format", "xlsx", "-o", str(book))
    assert code == 0
    sheet = openpyxl.load_workbook(book).worksheets[0]
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(ids) == 105 and ids[0] == "4.3" and ids[-1] == "A.8.34"
    code, out = cli("report", str(SAMPLE), "--framework", ISO, "--format", "ics")
    assert code == 0 and out.count("BEGIN:VEVENT") > 0
