"""Raw sources to Documents: decoding, newspaper pages, report files, text folders."""

from toolkit.ingest.batch import INGEST_FORMATS, IngestResult, ingest
from toolkit.ingest.decode import DecodeError, decode_bytes, read_text_file
from toolkit.ingest.newspaper import parse_page
from toolkit.ingest.reports import REPORT_FIELDS, read_gov_reports
from toolkit.ingest.textdir import read_sidecar, read_text_folder

__all__ = [
    "INGEST_FORMATS",
    "REPORT_FIELDS",
    "DecodeError",
    "IngestResult",
    "decode_bytes",
    "ingest",
    "parse_page",
    "read_gov_reports",
    "read_sidecar",
    "read_text_file",
    "read_text_folder",
]
