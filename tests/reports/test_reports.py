"""Every run writes four reports; a failing run's reports show the diff, the evidence and a timeline, never the key."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conformance._cli import main
from tests.conftest import REPO, SuiteRun, run_suite

KEY = "sk-conformance-test-key-4242"
SEED = ("-k", "rollback-seed")


@pytest.fixture(scope="module")
def broken(proxy_url, tmp_path_factory) -> tuple[SuiteRun, Path]:
    directory = tmp_path_factory.mktemp("broken")
    return run_suite(directory, "--target-url", proxy_url("rollback-as-interrupt"), "--api-key", KEY, *SEED), directory


@pytest.fixture(scope="module")
def clean(reference_url, tmp_path_factory) -> tuple[SuiteRun, Path]:
    directory = tmp_path_factory.mktemp("clean")
    return run_suite(directory, "--target-url", reference_url, "--api-key", KEY, *SEED), directory


@pytest.mark.parametrize("which", ["broken", "clean"])
def test_every_format_is_written_without_the_key(which: str, request: pytest.FixtureRequest) -> None:
    run, directory = request.getfixturevalue(which)
    for name in ("report.json", "report.md", "report.html", "junit.xml"):
        text = (directory / name).read_text()
        assert KEY not in text, f"{name} leaks the API key"
        assert "langgraph-conformance 0.1.0" in text or '"version": "0.1.0"' in text or "suite_version" in text
        assert "0.16.7" in text, f"{name} does not name the target's version"
    assert KEY not in run.output


def test_failing_run_shows_diff_evidence_and_timeline(broken: tuple[SuiteRun, Path]) -> None:
    run, directory = broken
    assert run.exit_code == 1
    html = (directory / "report.html").read_text()
    assert '<span class="add">+human: what&#x27;s the weather in sf?</span>' in html
    assert "POST /threads/&lt;thread&gt;/runs" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="timeline"' in html and "final: interrupted" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html) and "<link" not in html, "loads from the network"
    # why first (each failed MUST with one deciding line and a link), then failures by requirement, then the table
    assert html.index('<h2 id="why">Why nonconformant</h2>') < html.index("<h2>Failures (") < html.index("<h2>Requirements")
    why = html[html.index('<ul class="why">'):html.index("</ul>")]
    assert why.count("<li>") == len(run.report["summary"]["failed_requirements"]) > 0
    assert 'href="#r-DT-ROLLBACK-FIRST-404"' in why and 'id="r-DT-ROLLBACK-FIRST-404"' in html
    assert '<code class="deciding">GET first answers 404: expected HTTP 404, got HTTP 200' in why
    md = (directory / "report.md").read_text()
    assert "## Failures" in md and "+human: what's the weather in sf?" in md
    suite = ET.parse(directory / "junit.xml").getroot()
    musts = [r for r in run.report["results"] if r["outcome"] == "failed" and r["level"] == "MUST"]
    assert int(suite.get("failures")) == len(musts) > 0  # the SHOULD failure is a finding, not a <failure>
    assert int(suite.get("failures")) + int(suite.find("properties/property[@name='findings']").get("value")) == \
        run.report["summary"]["failed"]  # fmt: skip


def test_report_json_has_per_requirement_evidence(broken: tuple[SuiteRun, Path]) -> None:
    report = broken[0].report
    requirements = {r["id"]: r for r in report["requirements"]}
    assert requirements["DT-ROLLBACK-FIRST-404"]["outcome"] == "failed"
    assert requirements["DT-ROLLBACK-SECOND-SUCCEEDS"]["outcome"] == "passed"
    scenario = report["scenarios"][0]
    failed = [c for c in scenario["checks"] if c["outcome"] == "failed"]
    assert failed and all(c["expected"] and c["actual"] for c in failed)
    assert report["target"]["info"]["version"] == "0.16.7"


def test_matrix_over_two_reports(broken, clean, tmp_path: Path, capsys) -> None:
    paths = [str(broken[1] / "report.json"), str(clean[1] / "report.json")]
    assert main(["report", "matrix", *paths, "--out", str(tmp_path)]) == 0
    md = (tmp_path / "matrix.md").read_text()
    assert "| DT-ROLLBACK-FIRST-404 | MUST | FAIL | pass |" in md
    assert "fails MUST" in md and "all MUST and SHOULD" in md
    assert "<table>" in (tmp_path / "matrix.html").read_text()


def test_a_slim_report_makes_the_same_matrix_and_keeps_the_evidence(broken, clean, tmp_path: Path) -> None:
    full = [str(broken[1] / "report.json"), str(clean[1] / "report.json")]
    slim = []
    for path in full:
        out = tmp_path / "slim" / Path(path).parent.name
        assert main(["report", "slim", path, "--out", str(out), "--commit", "abc123", "--command", "run -k x"]) == 0
        slim.append(str(out / "report.json"))
    assert main(["report", "matrix", *full, "--out", str(tmp_path / "full-matrix")]) == 0
    assert main(["report", "matrix", *slim, "--out", str(tmp_path / "slim-matrix")]) == 0
    assert _unlinked(tmp_path / "full-matrix" / "matrix.md") == _unlinked(tmp_path / "slim-matrix" / "matrix.md")
    report = json.loads(Path(slim[0]).read_text())
    assert report["slim"] is True and report["produced_by"] == {"commit": "abc123", "command": "run -k x"}
    failed = {r["test_id"] for r in report["results"] if r["outcome"] == "failed"}
    assert failed and {s["id"] for s in report["scenarios"]} == {t.split(":")[0] for t in failed}
    assert all(c["outcome"] != "passed" for s in report["scenarios"] for c in s["checks"])
    assert Path(slim[0]).stat().st_size < (broken[1] / "report.json").stat().st_size / 2
    assert main(["report", "html", slim[0], "--out", str(tmp_path / "slim.html")]) == 0
    page = (tmp_path / "slim.html").read_text()
    assert "<h2>Failures (" in page and "DT-ROLLBACK-FIRST-404" in page


def test_checked_in_matrix_is_what_the_checked_in_reports_make(tmp_path: Path) -> None:
    servers = REPO / "reports" / "servers"
    reports = sorted(str(p) for p in servers.glob("*/report.json"))
    assert main(["report", "matrix", *reports, "--out", str(tmp_path)]) == 0
    assert _unlinked(tmp_path / "matrix.md") == _unlinked(servers / "matrix.md")
    assert "[langhost](langhost/report.md)" in (servers / "matrix.md").read_text()  # each server links its report


def _unlinked(matrix: Path) -> str:
    """A matrix with each link to a report reduced to the report's own directory (links are relative)."""
    return re.sub(r"\]\((?:[^)]*/)?([^/)]+)/report\.md\)", r"](\1/report.md)", matrix.read_text())


def test_matrix_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    bogus = tmp_path / "report.json"
    bogus.write_text(json.dumps({"hello": 1}))
    assert main(["report", "matrix", str(bogus), "--out", str(tmp_path / "m")]) == 2


def test_baseline_excuses_known_failures_and_strict_flags_stale(proxy_url, reference_url, tmp_path: Path) -> None:
    failing = ["DT-ROLLBACK-FIRST-404", "DT-ROLLBACK-FIRST-UNLISTED", "DT-ROLLBACK-STATE-SECOND-ONLY",
               "DT-ROLLBACK-HISTORY-CLEAN", "DT-RUN-ECHOES-STRATEGY"]  # fmt: skip
    baseline = tmp_path / "baseline.toml"
    baseline.write_text("[expected_failures]\n" + "".join(f'{r} = "known: rollback keeps the run"\n' for r in failing))
    excused = run_suite(tmp_path / "a", "--target-url", proxy_url("rollback-as-interrupt"), "--baseline", str(baseline), *SEED)
    assert excused.exit_code == 0, excused.output[-2000:]
    assert sorted(excused.report["gate"]["excused"]) == sorted(failing)
    stale = run_suite(tmp_path / "b", "--target-url", reference_url, "--baseline", str(baseline), *SEED)
    assert stale.exit_code == 0 and sorted(stale.report["gate"]["stale"]) == sorted(failing)
    strict = run_suite(tmp_path / "c", "--target-url", reference_url, "--baseline", str(baseline), "--strict-baseline", *SEED)
    assert strict.exit_code == 1


def test_baseline_with_unknown_id_is_a_harness_error(reference_url, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.toml"
    baseline.write_text('[expected_failures]\nNOT-A-REQUIREMENT = "x"\n')
    run = run_suite(tmp_path / "a", "--target-url", reference_url, "--baseline", str(baseline), *SEED)
    assert run.exit_code == 2 and "NOT-A-REQUIREMENT" in run.output


def test_should_level_gate(proxy_url, tmp_path: Path) -> None:
    """A SHOULD-only deviation passes the default gate and fails --level should."""
    url = proxy_url("reject-as-422")
    args = ("--target-url", url, "-k", "reject.first-held-in-agent.create")
    must = run_suite(tmp_path / "must", *args)
    assert must.exit_code == 0
    assert re.fullmatch(r"langgraph-conformance: verdict conformant \(exit 0\): (\d+) of \1 MUST requirements judged",
                        must.output.rstrip().splitlines()[-1])  # fmt: skip
    # pytest, the terminal's own line and every report count it as what it is: a failure below the gate
    assert "1 below the gate" in must.output and "FAILED" not in must.output and "xfail" not in must.output
    assert "failed below the gate (findings the verdict does not count): DT-REJECT-409" in must.output
    assert "| passed | failed | below the gate |" in (tmp_path / "must" / "report.md").read_text()
    assert must.report["summary"]["below_gate"] == 1 and "## Failures below the gate (1)" in (tmp_path / "must" / "report.md").read_text()
    junit = ET.parse(tmp_path / "must" / "junit.xml").getroot()
    assert (junit.get("failures"), junit.get("errors")) == ("0", "0")
    finding = junit.find(".//testcase[@name='DT-REJECT-409 [SHOULD]']/properties/property[@name='finding']")
    assert finding is not None and finding.get("value").startswith("below the gate's level")
    assert must.report["summary"]["failed"] == 1  # still a failure in the report: the gate only does not count it
    should = run_suite(tmp_path / "should", *args, "--level", "should")
    assert should.exit_code == 1 and "FAILED" in should.output
    assert ET.parse(tmp_path / "should" / "junit.xml").getroot().get("failures") == "1"
