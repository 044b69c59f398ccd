"""zonekg: a knowledge graph of Chinese development zones built from articles."""

__version__ = "0.1.0"
# Bumped whenever extraction output can change, so caches keyed on it go stale.
EXTRACTOR_VERSION = "1"
