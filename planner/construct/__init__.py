"""Constructive plans without a solver: serial schedule generation over the prepared problem."""
