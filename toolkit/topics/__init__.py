"""Topic models over document-term matrices, reproducible given a seed."""

from toolkit.topics.model import BACKENDS, COHERENCE, TopicModel
from toolkit.topics.prevalence import prevalence

__all__ = ["BACKENDS", "COHERENCE", "TopicModel", "prevalence"]
