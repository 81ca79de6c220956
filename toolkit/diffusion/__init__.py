"""Diffusion of official terms: when each 提法 reaches each unit, who leads, who follows.

The data flow: a corpus and its terms (a fitted
:class:`~toolkit.terms.TermDetector` or a list) → :func:`adoptions` (one row
per term × unit: the first period of use, on token boundaries, with evidence)
and :func:`observations` (which unit has documents when; :func:`redate` dates
documents by delivery) → the per-term
:func:`diffusion_table`, the Kaplan–Meier :func:`adoption_curves`, the
event-history model :class:`AdoptionHazard` and the :func:`leaders` ranking.
"""

from toolkit.diffusion.adjacency import ADJACENCY_COLUMNS, neighbors_of, province_adjacency
from toolkit.diffusion.adoption import (
    ADOPTION_COLUMNS,
    OBSERVATION_COLUMNS,
    adoptions,
    observations,
    reference_label,
)
from toolkit.diffusion.curves import CURVE_COLUMNS, adoption_curves
from toolkit.diffusion.dating import delivered_year, redate
from toolkit.diffusion.hazard import COEF_COLUMNS, COVARIATES, LINKS, AdoptionHazard
from toolkit.diffusion.lags import pooled_lag
from toolkit.diffusion.leaders import LEADER_COLUMNS, adoption_ranks, leaders
from toolkit.diffusion.table import DIRECTIONS, TABLE_COLUMNS, diffusion_table
from toolkit.diffusion.uses import USE_COLUMNS, count_uses

__all__ = [
    "ADJACENCY_COLUMNS",
    "ADOPTION_COLUMNS",
    "COEF_COLUMNS",
    "COVARIATES",
    "CURVE_COLUMNS",
    "DIRECTIONS",
    "LEADER_COLUMNS",
    "LINKS",
    "OBSERVATION_COLUMNS",
    "TABLE_COLUMNS",
    "USE_COLUMNS",
    "AdoptionHazard",
    "adoption_curves",
    "adoption_ranks",
    "adoptions",
    "count_uses",
    "delivered_year",
    "diffusion_table",
    "leaders",
    "neighbors_of",
    "observations",
    "pooled_lag",
    "province_adjacency",
    "redate",
    "reference_label",
]
