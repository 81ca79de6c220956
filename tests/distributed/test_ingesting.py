"""Ingestion on a Dask cluster equals ingest() in one process: documents, order, rejects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.cli.main import main
from toolkit.distributed import ingest_distributed
from toolkit.ingest import ingest

REPO = Path(__file__).resolve().parents[2]
PAGES = sorted((REPO / "corpora" / "sample" / "pages").glob("*.txt"))
TOWNS = REPO / "corpora" / "sample" / "towns.jsonl"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Pages, a table, two id-less tables, a repeated id, a broken file, traditional text."""
    folder = tmp_path_factory.mktemp("inputs")
    noids = []
    for name in ("a", "b"):
        path = folder / f"noids_{name}.jsonl"
        path.write_text(
            "\n".join(json.dumps({"text": f"{name}{i}推进河长制。"}) for i in range(3)) + "\n",
            encoding="utf-8",
        )
        noids.append(path)
    again = folder / "again.jsonl"
    first = json.loads(TOWNS.read_text(encoding="utf-8").splitlines()[0])
    again.write_text(
        json.dumps(first, ensure_ascii=False) + "\n" + '{"doc_id": "cut", "text": "第三\n',
        encoding="utf-8",
    )
    traditional = folder / "trad.jsonl"
    traditional.write_text(
        json.dumps({"doc_id": "t1", "text": "推進鄉村振興，落實河長制。", "county": "蘆川縣"})
        + "\n",
        encoding="utf-8",
    )
    broken = folder / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    return [*PAGES, TOWNS, *noids, again, broken, traditional, folder / "missing.txt"]


def _same(a, b) -> None:
    assert [d.doc_id for d in a.corpus] == [d.doc_id for d in b.corpus]
    assert [d.text for d in a.corpus] == [d.text for d in b.corpus]
    assert [dict(d.meta) for d in a.corpus] == [dict(d.meta) for d in b.corpus]
    assert [str(r) for r in a.rejected] == [str(r) for r in b.rejected]
    assert a.n_inputs == b.n_inputs


@pytest.mark.parametrize("files_per_task", [1, 2, 16])
@pytest.mark.parametrize(
    ("t2s", "id_field"),
    [(False, None), (True, None), (False, "")],
    ids=["plain", "t2s", "numbered"],
)
def test_equal_to_one_process(client, inputs, files_per_task, t2s, id_field):
    one = ingest(inputs, t2s=t2s, id_field=id_field, progress=False)
    dask = ingest_distributed(
        inputs, client=client, t2s=t2s, id_field=id_field, files_per_task=files_per_task
    )
    _same(one, dask)
    # The cases the inputs were made for did happen (numbering the towns table,
    # which has its own doc_id field, rejects its records: they would clash).
    assert len(one.corpus) > (10 if id_field == "" else 40)
    reasons = " ".join(str(r) for r in one.rejected)
    assert "missing.txt" in reasons and "broken.parquet" in reasons and "again.jsonl" in reasons
    if t2s:
        assert next(d for d in dask.corpus if d.doc_id == "t1").text == "推进乡村振兴，落实河长制。"
    if id_field == "":
        assert "doc0005" in {d.doc_id for d in dask.corpus}


def test_files_per_task_is_checked(client, inputs):
    with pytest.raises(ValueError, match=r"files_per_task must be an integer >= 1 \(got 0\)"):
        ingest_distributed(inputs, client=client, files_per_task=0)


def test_cli_writes_the_same_bytes_on_a_cluster(inputs, tmp_path):
    one, dask = tmp_path / "one.jsonl", tmp_path / "dask.jsonl"
    paths = [str(p) for p in inputs]
    assert main(["ingest", *paths, "-o", str(one), "--quiet"]) == 1  # rejects: exit 1
    assert main(["ingest", *paths, "-o", str(dask), "--quiet", "--scheduler", "local:2"]) == 1
    assert dask.read_bytes() == one.read_bytes()
    assert len(one.read_text(encoding="utf-8").splitlines()) > 40
