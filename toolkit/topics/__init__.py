"""Topic models over document-term matrices, reproducible given a seed."""

from toolkit.topics.coherence import reference_coherence, substring_reference
from toolkit.topics.model import BACKENDS, COHERENCE, TopicModel
from toolkit.topics.preprocess import TopicData, prepare_topics
from toolkit.topics.prevalence import prevalence
from toolkit.topics.selection import exclusivity, select_k, topic_diversity

__all__ = [
    "BACKENDS",
    "COHERENCE",
    "TopicData",
    "TopicModel",
    "exclusivity",
    "prepare_topics",
    "prevalence",
    "reference_coherence",
    "select_k",
    "substring_reference",
    "topic_diversity",
]
