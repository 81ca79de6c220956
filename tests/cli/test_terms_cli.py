"""``tifa terms`` and ``tifa kwic`` on the sample corpus: planted terms, every document, errors."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit import read_corpus
from toolkit.cli import main
from toolkit.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "towns.jsonl"
FIELDS = ["term", "forms", "kind", "count", "score", "expansion"]

SMALL = [
    {
        "doc_id": "a",
        "text": "沙棠镇推行“田坎工作法”，发展稻渔共生，建设菱塘驿站。",
        "town": "沙棠镇",
    },
    {"doc_id": "b", "text": "今天天气很好。", "town": "菱角乡"},
    {"doc_id": "c", "body": "这一行没有正文字段。", "town": "菱角乡"},
]


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> dict:
    """One ``tifa terms`` run over the sample corpus, shared by the tests that read it."""
    folder = tmp_path_factory.mktemp("terms")
    out, table = folder / "terms.jsonl", folder / "terms.csv"
    code, stdout, stderr = _run(
        ["terms", str(SAMPLE), "-o", str(out), "--table", str(table), "--quiet"]
    )
    return {
        "code": code,
        "stdout": stdout,
        "stderr": stderr,
        "rows": _read_jsonl(out),
        "by_id": {row["doc_id"]: row["terms"] for row in _read_jsonl(out)},
        "table": pd.read_csv(table, encoding="utf-8", keep_default_na=False),
        "out": out,
        "table_path": table,
    }


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    lines = [json.dumps(rec, ensure_ascii=False) for rec in SMALL]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------- tifa terms
def test_terms_writes_one_line_per_document_best_first(sample_run):
    assert sample_run["code"] == 0
    ids = [doc.doc_id for doc in read_corpus(SAMPLE)]
    assert [row["doc_id"] for row in sample_run["rows"]] == ids
    n_terms = 0
    for row in sample_run["rows"]:
        assert list(row) == ["doc_id", "terms"]
        scores = [t["score"] for t in row["terms"]]
        assert scores == sorted(scores, reverse=True)
        assert all(list(t) == FIELDS for t in row["terms"])
        n_terms += len(row["terms"])
    assert n_terms > len(ids)
    assert (
        f"wrote {sample_run['out']}: 36 documents (0 without terms), {n_terms} terms"
        in (sample_run["stdout"])
    )
    assert "; 0 rejected" in sample_run["stdout"]
    assert sample_run["stderr"] == ""


def test_planted_terms_are_found_for_their_towns(sample_run):
    by_id = sample_run["by_id"]
    # terms.tsv: 一核两翼四联 is the 苇川县 formula, written in four towns' reports.
    for doc_id in ("shatang-2022-03", "lingjiao-2022-05", "dukoupu-2022-04", "jianjia-2022-08"):
        found = {t["term"]: t for t in by_id[doc_id]}
        assert found["一核两翼四联"]["kind"] == "numbered"
    # “1+4+N”网格化: 网格 starts the word 网格化, so the term is the quoted core.
    for doc_id in ("mochi-2023-01", "songai-2022-02", "bifeng-2022-09"):
        found = {t["term"]: t for t in by_id[doc_id]}
        assert found["1+4+N"]["kind"] == "numbered"
        assert "1+4+N网格" not in found
    assert "清苇行动" in {t["term"] for t in by_id["dukoupu-2022-12"]}
    # 四上门 is spelled out in the text: 政策送上门、服务送上门…
    found = {t["term"]: t for t in by_id["songai-2022-02"]}
    assert found["四上门"]["expansion"][:2] == ["政策送上门", "服务送上门"]
    # Forms are written without the quote marks of “田坎工作法”.
    forms = [f for row in sample_run["rows"] for t in row["terms"] for f in t["forms"]]
    assert not [f for f in forms if set(f) & set("“”「」")]


@pytest.mark.parametrize("flag", ["--n", "--top"])
def test_n_keeps_the_best_n_of_each_document(flag, sample_run, tmp_path):
    # --top is the old name of --n and still works.
    out = tmp_path / "top.jsonl"
    code, stdout, _ = _run(["terms", str(SAMPLE), "-o", str(out), flag, "3", "--quiet"])
    assert code == 0
    rows = _read_jsonl(out)
    assert len(rows) == 36
    for row in rows:
        assert row["terms"] == sample_run["by_id"][row["doc_id"]][:3]
    assert "36 documents (0 without terms), 108 terms" in stdout


def test_table_has_one_row_per_term_with_its_towns(sample_run):
    table = sample_run["table"]
    # UTF-8 with a byte-order mark, for Excel (issue 16 §2).
    assert sample_run["table_path"].read_bytes()[:3] == b"\xef\xbb\xbf"
    assert {"term", "kind", "doc_freq", "forms", "n_town", "town", "n_county", "county"} <= set(
        table.columns
    )
    assert table["term"].is_unique
    row = table.set_index("term").loc["一核两翼四联"]
    assert set(row["town"].split("|")) == {"沙棠镇", "菱角乡", "渡口铺镇", "蒹葭街道"}
    assert row["n_town"] == 4 and row["county"] == "苇川县"
    assert set(table.set_index("term").loc["1+4+N", "county"].split("|")) == {"砚溪县"}
    assert f"wrote {sample_run['table_path']}: {len(table)} terms" in sample_run["stdout"]


def test_document_without_terms_keeps_its_line_and_rejects_are_reported(small, tmp_path):
    out = tmp_path / "terms.jsonl"
    code, stdout, stderr = _run(["terms", str(small), "-o", str(out), "--quiet"])
    assert code == 1  # a record was rejected; the good documents are still written
    rows = _read_jsonl(out)
    assert [row["doc_id"] for row in rows] == ["a", "b"]
    assert rows[1]["terms"] == []
    assert "2 documents (1 without terms)" in stdout and "; 1 rejected" in stdout
    assert stderr.splitlines() == [
        f"rejected: {small}:line 3: missing text field 'text'; fields present: "
        "['body', 'doc_id', 'town']. Pass --text-field FIELD to name the field that holds the text",
        "rejected: 1 in all",
    ]


def test_text_field_maps_another_field_to_the_text(tmp_path):
    path = tmp_path / "body.jsonl"
    path.write_text(
        json.dumps({"doc_id": "a", "body": "推行“田坎工作法”。"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "terms.jsonl"
    code, _, _ = _run(["terms", str(path), "-o", str(out), "--text-field", "body", "--quiet"])
    assert code == 0
    assert _read_jsonl(out)[0]["terms"][0]["term"] == "田坎工作法"


def test_id_field_maps_another_field_to_the_doc_id(tmp_path, capsys):
    path = tmp_path / "ids.jsonl"
    path.write_text(
        json.dumps({"id": "河塘镇-1", "text": "推行“田坎工作法”。"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "terms.jsonl"
    code, _, _ = _run(["terms", str(path), "-o", str(out), "--id-field", "id", "--quiet"])
    assert code == 0
    assert _read_jsonl(out)[0]["doc_id"] == "河塘镇-1"
    assert main(["kwic", str(path), "田坎工作法", "--id-field", "id"]) == 0
    assert capsys.readouterr().out.startswith("河塘镇-1")


def test_lexicons_add_to_the_builtin_one(small, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("稻渔共生\n", encoding="utf-8")
    second.write_text("term\tcategory\n今天天气\tuser\n", encoding="utf-8")
    out = tmp_path / "terms.jsonl"
    _run(["terms", str(small), "-o", str(out), "--quiet"])
    before = {t["term"] for t in _read_jsonl(out)[0]["terms"]}
    assert "稻渔共生" not in before
    argv = ["terms", str(small), "-o", str(out), "--lexicon", str(first), "--lexicon", str(second)]
    _run([*argv, "--quiet", "--force"])
    rows = _read_jsonl(out)
    found = {t["term"]: t for t in rows[0]["terms"]}
    assert found["稻渔共生"]["kind"] == "lexicon"
    assert before <= set(found)  # the built-in lexicon and the rules still apply
    assert [t["term"] for t in rows[1]["terms"]] == ["今天天气"]


@pytest.mark.parametrize("flag", ["--n", "--top"])
@pytest.mark.parametrize("value", ["0", "-2", "three"])
def test_bad_n_is_refused_before_reading(flag, value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["terms", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "t.jsonl"), flag, value])
    assert exc.value.code == 2
    assert f"argument --n/--top: must be an integer >= 1 (got '{value}')" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("local:0", "scheduler 'local:0': N in 'local:N' must be a whole number >= 1 (got '0')"),
        (
            "tcp://host:99999",
            "scheduler 'tcp://host:99999': PORT in 'tcp://HOST:PORT' must be a number "
            "from 1 to 65535 (got '99999')",
        ),
        ("dask://x:1", "scheduler must be one of 'local:N', 'tcp://HOST:PORT' (got 'dask://x:1')"),
    ],
)
def test_a_bad_scheduler_is_refused_before_reading(value, message, tmp_path, capsys):
    # Issue 15; the run with a good one is in tests/distributed/test_terms.py.
    argv = ["terms", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "t.jsonl")]
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--scheduler", value])
    assert exc.value.code == 2
    assert f"argument --scheduler: {message}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "{tmp}/terms.csv"], "-o/--output must name a .jsonl or .ndjson file (got "),
        (["-o", "{tmp}/t.jsonl", "--table", "{tmp}/t.xlsx"], "--table must name a .csv file"),
        (["-o", "{small}"], "is the corpus file itself; choose another path"),
        (["-o", "{tmp}/t.jsonl", "--lexicon", "{tmp}/nope.txt"], "lexicon file not found: '"),
    ],
)
def test_bad_paths_exit_2_with_a_message(extra, message, small, tmp_path):
    argv = [a.format(tmp=tmp_path, small=small) for a in extra]
    code, stdout, stderr = _run(["terms", str(small), *argv, "--quiet"])
    assert code == 2 and stdout == ""
    assert stderr.startswith("tifa terms: error: ") and message in stderr


def test_unknown_or_unreadable_corpus_names_the_path(tmp_path):
    missing = tmp_path / "nope.jsonl"
    code, _, err = _run(["terms", str(missing), "-o", str(tmp_path / "t.jsonl"), "--quiet"])
    assert code == 2
    assert err == f"tifa terms: error: corpus file not found: {str(missing)!r}\n"
    text = tmp_path / "corpus.txt"
    text.write_text("沙棠镇推行田坎工作法。", encoding="utf-8")
    code, _, err = _run(["kwic", str(text), "田坎工作法"])
    assert code == 2
    assert f"cannot infer the format of {str(text)!r}" in err


# ---------------------------------------------------------------------- tifa kwic
def test_kwic_prints_every_spelling(capsys):
    assert main(["kwic", str(SAMPLE), "共建共治共享", "--window", "8"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 9
    assert sum("【共建共治共享】" in line for line in lines) == 7
    assert sum("【共建、共治、共享】" in line for line in lines) == 2
    assert lines[0].startswith("dukoupu-2022-12  ")
    assert lines[0].endswith("推动形成【共建共治共享】的河湖管护格局。")
    assert captured.err == "9 matches of '共建共治共享' in 9 of 36 documents; 0 rejected\n"
    # Any spelling finds the same places.
    assert main(["kwic", str(SAMPLE), "“共建、共治、共享”", "--window", "8"]) == 0
    assert capsys.readouterr().out.splitlines() == lines


def test_kwic_csv_has_offsets_and_flat_docvars(tmp_path, capsys):
    out = tmp_path / "kwic.csv"
    assert main(["kwic", str(SAMPLE), "清苇行动", "--window", "6", "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: ")
    frame = pd.read_csv(out, encoding="utf-8", keep_default_na=False)
    assert list(frame.columns[:5]) == ["doc_id", "province", "prefecture", "county", "town"]
    assert list(frame.columns[-5:]) == ["start", "end", "left", "match", "right"]
    assert not {"sections", "reporters", "correspondents"} & set(frame.columns)
    texts = {doc.doc_id: doc.text for doc in read_corpus(SAMPLE)}
    assert set(frame["doc_id"]) == {"dukoupu-2022-12", "jianjia-2023-03"}
    for row in frame.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.match
        assert len(row.left) <= 6 and len(row.right) <= 6


def test_kwic_form_adds_a_spelling_and_no_match_is_not_an_error(capsys):
    assert main(["kwic", str(SAMPLE), "两委", "--form", "村两委", "--window", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10 and all("【村“两委" in line for line in lines)
    assert main(["kwic", str(SAMPLE), "不存在的提法"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "0 matches of '不存在的提法' in 0 of 36 documents; 0 rejected\n"


def test_kwic_rejects_are_reported(small, capsys):
    assert main(["kwic", str(small), "田坎工作法"]) == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert "1 match of '田坎工作法' in 1 of 2 documents; 1 rejected" in captured.err
    assert f"rejected: {small}:line 3: missing text field 'text'" in captured.err


def test_kwic_bad_window_and_csv_suffix(small, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["kwic", str(small), "田坎工作法", "--window", "0"])
    assert exc.value.code == 2
    assert "argument --window: must be an integer >= 1 (got '0')" in capsys.readouterr().err
    assert main(["kwic", str(small), "田坎工作法", "-o", str(tmp_path / "k.xlsx")]) == 2
    assert "tifa kwic: error: -o/--output must name a .csv file" in capsys.readouterr().err


def test_both_commands_are_registered():
    text = build_parser().format_help()
    assert "terms" in text and "kwic" in text


# ---------------------------------------------------------------------- --by, --time, --periods
def test_periods_by_county_and_year_add_up_to_the_table(tmp_path):
    out, table, periods = tmp_path / "t.jsonl", tmp_path / "t.csv", tmp_path / "p.csv"
    argv = ["terms", str(SAMPLE), "-o", str(out), "--table", str(table), "--quiet"]
    code, stdout, _ = _run([*argv, "--by", "county", "--time", "year", "--periods", str(periods)])
    assert code == 0
    frame = pd.read_csv(periods, encoding="utf-8", keep_default_na=False)
    assert list(frame.columns) == ["term", "key", "period", "county", "count", "doc_freq"]
    terms = pd.read_csv(table, encoding="utf-8", keep_default_na=False).set_index("key")
    assert "county" in terms.columns and "town" not in terms.columns
    sums = frame.groupby("key")["count"].sum()
    assert (sums == terms.loc[sums.index, "count"]).all()
    assert set(frame["period"]) == {2022, 2023}
    assert f"wrote {periods}: {len(frame)} rows" in stdout


def test_time_under_another_name_is_used_and_its_absence_is_said(tmp_path):
    path = tmp_path / "congress.jsonl"
    records = [
        {"doc_id": "c19", "text": "推行“河长制”，落实河长制。", "congress_year": 2017},
        {"doc_id": "c20", "text": "深化河长制，推行“林长制”。", "congress_year": 2022},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    table = tmp_path / "t.csv"
    argv = ["terms", str(path), "-o", str(tmp_path / "t.jsonl"), "--table", str(table), "--quiet"]
    with pytest.warns(UserWarning, match="no docvar named 'date' or 'year'"):
        assert _run(argv)[0] == 0
    assert _run([*argv, "--time", "congress_year", "--force"])[0] == 0
    row = pd.read_csv(table, keep_default_na=False).set_index("term").loc["河长制"]
    assert (row["first"], row["last"]) == (2017, 2022)
    code, _, stderr = _run([*argv, "--time", "session", "--force"])
    assert code == 2 and "time names docvar 'session', which the corpus does not have" in stderr
    code, _, stderr = _run([*argv, "--by", " , "])
    assert code == 2 and "--by must name at least one docvar (got ' , ')" in stderr


def test_cli_path_equals_api_path_and_reads_headings(tmp_path):
    """tifa ingest then tifa terms reports what the API reports on the page parsed with its
    headings: 123工作法's parts are written only in the subheads, and are found."""
    from toolkit import Corpus, TermDetector, parse_page

    page = ROOT / "tests" / "ingest" / "data" / "headed_formula_page.txt"
    articles, out = tmp_path / "articles.jsonl", tmp_path / "terms.jsonl"
    assert _run(["ingest", str(page), "-o", str(articles), "--quiet"])[0] == 0
    with pytest.warns(UserWarning, match="no docvar named 'date' or 'year'"):
        assert _run(["terms", str(articles), "-o", str(out), "--quiet"])[0] == 0
    [row] = _read_jsonl(out)
    cli = {t["term"]: t["expansion"] for t in row["terms"]}
    assert cli["123工作法"] == ["一张网", "两个作用", "三个中心"]

    headed = Corpus(parse_page(page.read_text(encoding="utf-8"), source=str(page), headings=True))
    with pytest.warns(UserWarning, match="no docvar"):
        api = TermDetector(progress=False).fit(headed).detect(headed)
    assert [t["term"] for t in row["terms"]] == api["term"].tolist()
    assert [t["expansion"] for t in row["terms"]] == api["expansion"].tolist()


def test_rank_reader_puts_what_a_report_stresses_first_as_the_api_does(tmp_path):
    """--rank reader is TermDetector(rank='reader'): 田坎工作法, written three times in
    its report, leads; the glossary's ranking puts 一岗双责, written in 13 of the 36
    sample documents, above it."""
    from toolkit import TermDetector, read_jsonl

    out = {rank: tmp_path / f"{rank}.jsonl" for rank in ("glossary", "reader")}
    for rank, path in out.items():
        assert _run(["terms", str(SAMPLE), "-o", str(path), "--rank", rank, "--quiet"])[0] == 0
    by_rank = {
        rank: {row["doc_id"]: [t["term"] for t in row["terms"]] for row in _read_jsonl(path)}
        for rank, path in out.items()
    }
    reader, glossary = by_rank["reader"]["shatang-2022-03"], by_rank["glossary"]["shatang-2022-03"]
    assert reader[0] == "田坎工作法"
    assert glossary.index("一岗双责") < glossary.index("田坎工作法")
    corpus = read_jsonl(SAMPLE)
    api = TermDetector(progress=False, rank="reader").fit(corpus).detect(corpus)
    assert api.groupby("doc_id", sort=False)["term"].agg(list).to_dict() == {
        doc_id: terms for doc_id, terms in by_rank["reader"].items() if terms
    }


def test_a_bad_rank_is_refused_with_the_choices(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["terms", str(SAMPLE), "-o", str(tmp_path / "t.jsonl"), "--rank", "readers"])
    assert exit_.value.code == 2
    assert "--rank: invalid choice: 'readers' (choose from 'glossary', 'reader')" in (
        capsys.readouterr().err
    )
