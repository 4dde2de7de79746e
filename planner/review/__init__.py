"""Review of a scenario before planning: work packages proposed twice (`planner duplicates`).

Imports only go down: this layer reads the scenario's models and the texts of `planner.i18n`, nothing else.
"""

from planner.review.duplicates import DEFAULT_THRESHOLD, Duplicate, Evidence, find_duplicates

__all__ = ["DEFAULT_THRESHOLD", "Duplicate", "Evidence", "find_duplicates"]
