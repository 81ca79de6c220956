"""Topic models over document-term matrices, reproducible given a seed."""

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
    "select_k",
    "topic_diversity",
]
