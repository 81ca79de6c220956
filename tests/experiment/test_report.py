"""report.html: every figure embedded and decoding, every table, rejects, determinism, a browser."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from toolkit.experiment import ANALYSES, RunContext, analysis_options, run
from toolkit.experiment.report import REPORT_NAME, caption_for, captions_of

CHROMIUM = Path("/usr/bin/chromium")


class _Page(HTMLParser):
    """What the tests look at in a page: its images, inline SVGs and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str]] = []
        self.svgs = 0
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append({k: v or "" for k, v in attrs})
        elif tag == "svg":
            self.svgs += 1
        elif tag == "script":
            self.scripts += 1


def _parse(path: Path) -> tuple[_Page, str]:
    html = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    return page, html


def _manifest(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))


def _figure_stems(manifest: dict) -> list[str]:
    stems = {
        str(Path(o["path"]).with_suffix(""))
        for o in manifest["outputs"]
        if o["path"].startswith("figures/")
    }
    return sorted(stems)


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


# ---------------------------------------------------------------- the flagship's report
@pytest.fixture(scope="module")
def flagship(flagship_runs):
    return flagship_runs[0]


def test_the_manifest_lists_the_report_and_its_hash(flagship):
    import hashlib

    listed = {o["path"]: o["sha256"] for o in _manifest(flagship.run_dir)["outputs"]}
    report = flagship.run_dir / REPORT_NAME
    assert flagship.report_path == report
    assert listed[REPORT_NAME] == hashlib.sha256(report.read_bytes()).hexdigest()


def test_one_image_per_figure_the_manifest_lists(flagship):
    page, html = _parse(flagship.report_path)
    stems = _figure_stems(_manifest(flagship.run_dir))
    assert len(stems) == 7  # counts ×2, term timeline, similarity, reuse, topics, prevalence
    assert len(page.images) + page.svgs == len(stems)
    for stem in stems:
        assert f"{stem}.png" in html, stem  # each figure named beside its image
        assert f'href="{stem}.svg"' in html, stem  # and its vector file linked


def test_every_embedded_image_decodes_to_the_file_it_embeds(flagship):
    from PIL import Image

    page, _ = _parse(flagship.report_path)
    for image in page.images:
        uri = image["src"]
        kind, _, payload = uri.partition(";base64,")
        data = base64.b64decode(payload, validate=True)
        name = image["alt"].split(":")[0]
        assert data == (flagship.run_dir / name).read_bytes(), name
        if kind == "data:image/png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n", name
            with Image.open(io.BytesIO(data)) as decoded:
                decoded.load()  # decodes every pixel: a truncated PNG fails here
                assert decoded.size == (int(image["width"]), int(image["height"])), name
                assert min(decoded.size) > 100, name
        else:
            assert kind == "data:image/svg+xml", name
            assert ET.fromstring(data).tag.endswith("svg"), name


def test_every_table_is_listed_with_its_row_count(flagship):
    _, html = _parse(flagship.report_path)
    tables = [
        o["path"] for o in _manifest(flagship.run_dir)["outputs"] if o["path"].startswith("tables/")
    ]
    assert len(tables) == 12
    for name in tables:
        n_rows = _csv_rows(flagship.run_dir / name)
        assert f'<span class="file">{name}</span></h3>' in html, name
        note = re.search(
            r'<p class="note">(\d+) rows × \d+ columns[^<]*'
            rf'<a class="file" href="{re.escape(name)}">',
            html,
        )
        assert note is not None, name
        assert int(note.group(1)) == n_rows, name


def test_every_figure_and_table_has_its_caption(flagship):
    _, html = _parse(flagship.report_path)
    assert "No caption" not in html
    # The caption of a pattern is filled from the file name.
    assert "How much text each county contributes" in html
    assert "The mean share of every topic per year" in html


def test_rejects_count_equals_rejected_csv(flagship):
    _, html = _parse(flagship.report_path)
    (count,) = re.findall(r'<b class="n-rejected">(\d+)</b>', html)
    assert int(count) == _csv_rows(flagship.run_dir / "rejected.csv") == 0


def test_chinese_text_metrics_and_manifest_are_there(flagship):
    _, html = _parse(flagship.report_path)
    assert '<meta charset="utf-8">' in html
    assert '"Noto Sans CJK SC"' in html and "Microsoft YaHei" in html
    assert "沙棠镇" in html and "提法" in html  # a table cell and the config's description
    manifest = _manifest(flagship.run_dir)
    for key in ("corpus_sha256", "config_sha256"):
        assert manifest[key] in html, key
    assert f"seed <b>{manifest['seed']}</b>" in html
    assert f"<code>{manifest['packages']['matplotlib']}</code>" in html
    assert "similarity_permutation_p" in html


def test_no_script_and_no_time_of_the_run(flagship):
    page, html = _parse(flagship.report_path)
    assert page.scripts == 0
    manifest = _manifest(flagship.run_dir)
    assert manifest["started_at"][:16] not in html
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", html)
    # The run id neither: runs "a" and "b" give the same bytes (next test).


def test_report_is_byte_identical_across_two_runs(flagship_runs):
    first, second = flagship_runs
    assert first.report_path.read_bytes() == second.report_path.read_bytes()


def test_summary_names_each_analysis_and_ends_with_the_report(flagship, capsys):
    from toolkit.cli.run_command import _report

    _report(flagship)
    out = capsys.readouterr().out
    for kind in ("corpus_overview", "town_terms", "town_similarity", "town_topics"):
        assert kind in out, kind
    assert "similarity_permutation_p = 0.001" in out
    assert "n_documents = 41" in out
    assert f"figures:  {flagship.run_dir / 'figures'}" in out
    assert out.rstrip().splitlines()[-1] == f"report: {flagship.report_path}"


# ---------------------------------------------------------------- a real browser
def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium not installed (apt-get install chromium)"
)
def test_no_broken_image_in_chromium(flagship, tmp_path):
    # The report has no script; a copy gets one that counts the images the browser
    # could not decode (naturalWidth 0) and writes the count into the page.
    probe = (
        "<script>window.addEventListener('load', () => {"
        "const images = Array.from(document.images);"
        "const broken = images.filter(i => !i.complete || i.naturalWidth === 0).length;"
        "document.body.insertAdjacentHTML('beforeend',"
        '`<p id="probe">images=${images.length} broken=${broken}</p>`);});</script>'
    )
    html = flagship.report_path.read_text(encoding="utf-8").replace("</body>", probe + "</body>")
    copy = flagship.run_dir / "probe.html"
    copy.write_text(html, encoding="utf-8")
    try:
        dom = _chromium(
            "--virtual-time-budget=10000", "--dump-dom", copy.as_uri(), profile=tmp_path / "p"
        ).stdout
    finally:
        copy.unlink()
    found = re.search(r'<p id="probe">images=(\d+) broken=(\d+)</p>', dom)
    assert found is not None, dom[-500:]
    assert int(found.group(1)) == len(_figure_stems(_manifest(flagship.run_dir)))
    assert int(found.group(2)) == 0


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium not installed (apt-get install chromium)"
)
def test_screenshot_shows_the_page(flagship, tmp_path):
    import numpy as np
    from PIL import Image

    shot = tmp_path / "report.png"
    _chromium(
        f"--screenshot={shot}", "--window-size=1280,3000", "--hide-scrollbars",
        flagship.report_path.as_uri(), profile=tmp_path / "p",
    )  # fmt: skip
    with Image.open(shot) as image:
        assert image.size == (1280, 3000)
        pixels = np.asarray(image.convert("L"))
    # Text and figures, not a blank page: a good share of the rows hold dark pixels.
    inked = (pixels < 128).any(axis=1).mean()
    assert inked > 0.3, inked


# ---------------------------------------------------------------- the tiny experiment
def test_rejects_are_counted_by_reason_and_listed(experiment, tmp_path):
    pages = experiment.parent / "data" / "pages"
    (pages / "photo.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
    (pages / "empty.txt").touch()
    result = run(experiment, output_root=tmp_path, run_id="r", progress=False)
    _, html = _parse(result.report_path)
    (count,) = re.findall(r'<b class="n-rejected">(\d+)</b>', html)
    assert int(count) == _csv_rows(result.run_dir / "rejected.csv") == 2
    for rejection in result.rejected:
        assert f"<code>{rejection.source}</code>" in html
    (reasons,) = re.findall(r'<table class="reasons">(.*?)</table>', html, flags=re.S)
    assert sum(int(n) for n in re.findall(r'<td class="num">(\d+)</td>', reasons)) == 2


def test_identical_under_another_hash_seed(experiment, tmp_path):
    # Sets of str iterate in another order under another PYTHONHASHSEED; nothing in
    # the page may depend on it. Two fresh processes, so both load the same libraries.
    for seed in ("1", "12345"):
        subprocess.run(
            [
                *(sys.executable, "-m", "toolkit", "run", str(experiment), "--quiet"),
                *("--output-root", str(tmp_path), "--run-id", f"seed{seed}"),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
    one, two = (tmp_path / f"seed{seed}" / REPORT_NAME for seed in ("1", "12345"))
    assert one.read_bytes() == two.read_bytes()


def test_a_new_analysis_without_captions_is_shown_and_flagged(experiment, tmp_path, monkeypatch):
    import matplotlib.pyplot as plt
    import pandas as pd

    @analysis_options()
    def squares(corpus, options, ctx: RunContext) -> None:
        fig, ax = plt.subplots(figsize=(3.5, 2.5))
        ax.plot([1, 2, 3], [1, 4, 9])
        ctx.save_figure(fig, "squares")
        ctx.save_table(pd.DataFrame({"n": [1, 2, 3], "square": [1, 4, 9]}), "squares")
        ctx.add_metric("n_squares", 3)

    monkeypatch.setitem(ANALYSES, "squares", squares)
    text = experiment.read_text(encoding="utf-8")
    experiment.write_text(text + '\n[[analysis]]\nkind = "squares"\n', encoding="utf-8")
    result = run(experiment, output_root=tmp_path, run_id="s", progress=False)
    page, html = _parse(result.report_path)
    assert len(page.images) == 3  # counts by town, by county, squares
    assert html.count("No caption: add one to CAPTIONS in the module of squares") == 2
    assert "<code>n_squares</code>" in html
    # The figure is shown at the size it was saved (at most the 3.5 in it was drawn,
    # trimmed to its drawing), at 96 CSS pixels per inch, not at its pixel width.
    from PIL import Image

    (squares_img,) = [i for i in page.images if i["alt"].startswith("figures/squares.png")]
    with Image.open(result.run_dir / "figures" / "squares.png") as png:
        inches = png.size[0] / png.info["dpi"][0]
    assert squares_img["style"] == f"width: {round(inches * 96)}px"
    assert 2.5 < inches <= 3.5


def test_caption_patterns_fill_their_placeholders():
    captions = {
        "tables/counts_by_{field}": "Per {field}.",
        "tables/counts_by_town": "Towns, exactly.",
        "figures/{name}": "A figure {name}.",
    }
    assert caption_for("tables/counts_by_county", captions) == "Per county."
    assert caption_for("tables/counts_by_town", captions) == "Towns, exactly."  # exact wins
    assert caption_for("figures/x", captions) == "A figure x."
    assert caption_for("figures/sub/x", captions) is None  # a placeholder stays in one folder
    assert caption_for("tables/other", captions) is None


def test_every_analysis_module_brings_its_captions():
    for kind, function in ANALYSES.items():
        captions = captions_of(function)
        assert captions, kind
        assert all(k.startswith(("figures/", "tables/")) for k in captions), kind
    assert captions_of(lambda: None) == {}
