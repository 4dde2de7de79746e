"""The prepared problem: everything every stage needs, derived once from a validated scenario (calendar, money, options, windows, payees), plus the cross-checks and plan assembly."""
