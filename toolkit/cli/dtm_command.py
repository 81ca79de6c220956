"""``tifa dtm``: a corpus file to a document-term matrix, its vocabulary and its rows.

Counts with :meth:`toolkit.DocTermMatrix.from_corpus` (two passes, the
vocabulary pruned by ``--min-df``/``--max-df``, or one pass hashed into
``--n-features`` columns), or with ``--scheduler`` with
:func:`toolkit.distributed.count_corpus` on a Dask cluster; the files are the
same bytes either way. ``--by`` sums the rows of each value of a docvar
(:meth:`DocTermMatrix.group`).

Three files: the matrix as a scipy sparse ``.npz`` (``scipy.sparse.load_npz``;
plain arrays, no pickles), the vocabulary TSV (``column``, ``term``,
``doc_freq``) and the rows TSV (``row``, ``doc_id``; with ``--by`` the value of
the docvar and ``n_documents``). As ``tifa similarity``: records that cannot be
read are reported one line each on stderr and the exit status is then 1, with
the files of the good documents written.
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit._atomic import atomic_path
from toolkit.cli import common
from toolkit.cli.commands import help_of

if TYPE_CHECKING:
    from toolkit.corpus import Corpus
    from toolkit.dtm import DocTermMatrix

__all__ = ["add_parser", "run"]

# A fixed time stamp for the members of the .npz: numpy's savez stamps them
# with the current time, and two runs must give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def add_parser(sub: argparse._SubParsersAction, name: str = "dtm") -> None:
    from toolkit.dtm import DocTermMatrix

    p = sub.add_parser(
        name,
        help=help_of(name),
        description=(
            "Segment every document and count its tokens into a document-term matrix. "
            "Writes FILE (-o), a scipy sparse CSR matrix in .npz form, int64 counts with "
            "one row per document and one column per feature (load it with "
            "scipy.sparse.load_npz; it holds no pickles, so numpy.load(FILE, "
            "allow_pickle=False) reads it too); the vocabulary (--vocab, default "
            "<FILE stem>.vocab.tsv): column, term, doc_freq (documents holding the "
            "term), one line per column in column order; and the rows (--docs, default "
            "<FILE stem>.docs.tsv): row, doc_id, one line per row in corpus order, or with "
            "--by row, <FIELD>, n_documents, one line per value in sorted order. The TSV "
            "files are UTF-8 with a header; a field holding a tab, newline or quote is "
            "quoted, so read them with pandas.read_csv(path, sep='\\t', "
            "keep_default_na=False). Features are the sorted tokens, or with --n-features "
            "hashed columns '#0', '#1' ... (murmurhash3). With --scheduler the files are "
            "the same bytes. Exit status is 0 when every record was read; otherwise 1, "
            "with the files of the good documents still written and one line per "
            "rejected record on stderr."
        ),
    )
    p.add_argument("corpus", help="corpus file (.jsonl, .csv, .parquet), or - for JSONL on stdin")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="matrix file (.npz)")
    p.add_argument(
        "--vocab", default=None, metavar="FILE",
        help="vocabulary file (.tsv; default: <FILE stem>.vocab.tsv next to -o)",
    )  # fmt: skip
    p.add_argument(
        "--docs", default=None, metavar="FILE",
        help="rows file (.tsv; default: <FILE stem>.docs.tsv next to -o)",
    )  # fmt: skip
    p.add_argument(
        "--min-df", type=common.count_or_share, metavar="DF",
        default=common.api_default(DocTermMatrix.from_corpus, "min_df"),
        help="drop features in fewer documents: a count, or a share with a point "
        "(default: keep all)",
    )  # fmt: skip
    p.add_argument(
        "--max-df", type=common.count_or_share, metavar="DF",
        default=common.api_default(DocTermMatrix.from_corpus, "max_df"),
        help="drop features in more documents: a count, or a share with a point "
        "(default: keep all)",
    )  # fmt: skip
    p.add_argument(
        "--n-features", type=common.positive_int, metavar="N",
        default=common.api_default(DocTermMatrix.from_corpus, "n_features"),
        help="hash the tokens into N columns instead of learning a vocabulary "
        "(one pass; not with --min-df or --max-df)",
    )  # fmt: skip
    p.add_argument(
        "--by", default=None, metavar="FIELD",
        help="sum the rows of each value of this docvar (town, county, year ...)",
    )  # fmt: skip
    common.add_segmenter_options(p)
    common.add_scheduler(p, "segment and count")
    common.add_input_fields(p)
    common.add_force(p)
    common.add_quiet(p)
    p.set_defaults(func=run)


def _paths(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    output = Path(args.output)
    if output.suffix != ".npz":
        raise ValueError(f"-o/--output must be a .npz file (got {args.output!r})")
    if output.is_dir():
        raise ValueError(f"-o/--output must be a file (got the folder {args.output!r})")
    vocab = Path(args.vocab) if args.vocab else output.with_name(f"{output.stem}.vocab.tsv")
    docs = Path(args.docs) if args.docs else output.with_name(f"{output.stem}.docs.tsv")
    if len({output, vocab, docs}) < 3:
        raise ValueError(
            f"-o/--output, --vocab and --docs must be three files (got {str(output)!r}, "
            f"{str(vocab)!r}, {str(docs)!r})"
        )
    return output, vocab, docs


def _check_options(args: argparse.Namespace) -> None:
    if args.n_features is not None and (args.min_df is not None or args.max_df is not None):
        flag = "--min-df" if args.min_df is not None else "--max-df"
        raise ValueError(
            f"{flag} prunes a learned vocabulary; with --n-features there is none "
            f"(got {flag} {args.min_df if args.min_df is not None else args.max_df}, "
            f"--n-features {args.n_features})"
        )


def _count(corpus: Corpus, args: argparse.Namespace) -> DocTermMatrix:
    from toolkit.dtm import DocTermMatrix
    from toolkit.segment import Segmenter

    segmenter = Segmenter(
        backend=args.backend,
        lexicons=common.lexicons(args),
        progress=common.progress(args),
    )
    options: dict[str, Any] = {
        "min_df": args.min_df,
        "max_df": args.max_df,
        "n_features": args.n_features,
    }
    if args.scheduler is None:
        return DocTermMatrix.from_corpus(corpus, segmenter=segmenter, **options)
    from toolkit.distributed import count_corpus, dask_client

    with dask_client(args.scheduler) as client:
        return count_corpus(corpus, segmenter=segmenter, client=client, **options)


def run(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    output, vocab_path, docs_path = _paths(args)
    _check_options(args)
    common.check_new(args, output, vocab_path, docs_path)
    corpus, rejected = common.read_input(args)
    if not len(corpus):
        raise ValueError(
            f"no documents to count in {args.corpus!r} ({len(rejected)} records rejected)"
        )
    if args.by is not None:
        common.check_docvars(corpus, "document", "--by", [args.by])
    dtm = _count(corpus, args)
    doc_freq = np.asarray((dtm.counts > 0).sum(axis=0)).ravel()
    if args.by is not None:
        dtm = dtm.group(args.by)
        sizes = dtm.docvars["n_documents"]
        rows = pd.DataFrame({"row": range(len(dtm)), args.by: dtm.doc_ids, "n_documents": sizes})
    else:
        rows = pd.DataFrame({"row": range(len(dtm)), "doc_id": dtm.doc_ids})
    vocabulary = pd.DataFrame(
        {"column": range(dtm.shape[1]), "term": dtm.feature_names, "doc_freq": doc_freq}
    )
    print(f"read {len(corpus)} documents from {args.corpus}; {len(rejected)} rejected")
    _write_npz(dtm, output)
    _write_tsv(vocabulary, vocab_path)
    _write_tsv(rows, docs_path)
    unit = args.by if args.by is not None else "documents"
    print(
        f"wrote {output}: {dtm.shape[0]} {unit} x {dtm.shape[1]} features, "
        f"{dtm.counts.nnz} non-zero counts"
    )
    print(f"wrote {vocab_path}: {dtm.shape[1]} features (column, term, doc_freq)")
    print(f"wrote {docs_path}: {dtm.shape[0]} rows ({', '.join(rows.columns)})")
    return common.report_rejected(rejected)


def _write_npz(dtm: DocTermMatrix, path: Path) -> None:
    """What ``scipy.sparse.save_npz`` writes, with fixed dtypes and time stamps."""
    import numpy as np

    counts = dtm.counts.copy()
    counts.sum_duplicates()  # canonical: sorted columns in each row, no repeats
    arrays = {
        "indices": counts.indices.astype(np.int64),
        "indptr": counts.indptr.astype(np.int64),
        "format": np.array(b"csr"),
        "shape": np.array(counts.shape, dtype=np.int64),
        "data": counts.data.astype(np.int64),
    }
    with (
        atomic_path(path) as partial,
        zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for key, array in arrays.items():
            member = zipfile.ZipInfo(f"{key}.npy", date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(member, "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, array, allow_pickle=False)


def _write_tsv(frame: Any, path: Path) -> None:
    with atomic_path(path) as partial:
        frame.to_csv(partial, sep="\t", index=False, encoding="utf-8", lineterminator="\n")
