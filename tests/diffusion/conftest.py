"""Constructed corpora with planted adoption dates (written here, not mined from ../shared)."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit import Corpus

NATIONAL = "全国"


def record(unit: str, year: int, text: str, level: str = "provincial") -> dict:
    return {
        "doc_id": f"{unit}/{year}",
        "text": text,
        "province": unit,
        "year": year,
        "level": level,
    }


def planted_corpus() -> Corpus:
    """Four provinces and the national reports, 2000-2010, with planted first uses.

    - 河长制: national 2005; 甲省 2003 (before it), 乙省 2006, 丁省 2008; 丙省 never.
    - 六稳: national 2004; 甲省 2005, 乙省 2007, 丙省 2009; nobody before it.
    - 强基工程: never national; 乙省 2002, 甲省 2004.
    - 丁省 starts reporting in 2004 (left truncation); 丙省 stops after 2008
      except for 2009-2010 ... no: 丙省 reports 2000-2009, and has no report
      in 2004-2006 (missing years); 乙省 stops in 2008 (right-censored for 六稳).
    Every report also writes 加强基层 and 空气质量, which hold 强基 and 气质.
    """
    plan = {
        "河长制": {"national": 2005, "甲省": 2003, "乙省": 2006, "丁省": 2008},
        "六稳": {"national": 2004, "甲省": 2005, "乙省": 2007, "丙省": 2009},
        "强基工程": {"乙省": 2002, "甲省": 2004},
    }
    years = {
        "national": range(2000, 2011),
        "甲省": range(2000, 2011),
        "乙省": range(2000, 2009),
        "丙省": [y for y in range(2000, 2010) if y not in (2004, 2005, 2006)],
        "丁省": range(2004, 2011),
    }
    records = []
    for unit, span in years.items():
        for year in span:
            text = "要加强基层组织建设，改善空气质量。"
            for term, firsts in plan.items():
                if unit in firsts and year >= firsts[unit]:
                    text += f"推进{term}。"
            if unit == "national":
                records.append(record(NATIONAL, year, text, level="national"))
            else:
                records.append(record(unit, year, text))
    return Corpus.from_records(records)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return planted_corpus()


# ---------------------------------------------------------------- neighbour effect
def _term_name(i: int) -> str:
    # Distinct two-character names from a fixed pool, quoted so their edges are token edges.
    pool = "金木水火土日月星辰山川河海风云雷电春夏秋冬东南西北"
    return pool[i % len(pool)] + pool[(i * 7 + 3) % len(pool)] + "行动"


def neighbour_corpus(seed: int = 7, n_units: int = 16, n_terms: int = 24, years: int = 16):
    """Units on a ring; each period a unit adopts with a hazard that rises with its neighbours'.

    Returns the corpus, the ring adjacency and the terms.
    """
    rng = np.random.default_rng(seed)
    units = [f"单元{i:02d}" for i in range(n_units)]
    adjacency = {
        u: [units[(i - 1) % n_units], units[(i + 1) % n_units]] for i, u in enumerate(units)
    }
    terms = [_term_name(i) for i in range(n_terms)]
    first: dict[tuple[str, str], int] = {}
    for term in terms:
        seedling = units[rng.integers(n_units)]
        first[(term, seedling)] = 0
        for year in range(1, years):
            for unit in units:
                if (term, unit) in first:
                    continue
                near = adjacency[unit]
                share = sum(first.get((term, n), years) < year for n in near) / len(near)
                if rng.random() < 0.02 + 0.6 * share:
                    first[(term, unit)] = year
    records = []
    for year in range(years):
        for unit in units:
            used = [t for t in terms if first.get((t, unit), years) <= year]
            text = "本年工作。" + "".join(f"实施“{t}”。" for t in used)
            records.append(record(unit, 2000 + year, text))
        # The national report takes up every term in the fifth year.
        national = "".join(f"实施“{t}”。" for t in terms) if year >= 5 else ""
        records.append(record(NATIONAL, 2000 + year, "本年工作。" + national, level="national"))
    return Corpus.from_records(records), adjacency, terms
