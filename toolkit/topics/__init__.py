"""Topic models over document-term matrices, reproducible given a seed."""

from toolkit.topics.model import BACKENDS, COHERENCE, TopicModel

__all__ = ["BACKENDS", "COHERENCE", "TopicModel"]
