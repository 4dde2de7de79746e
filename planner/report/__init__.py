"""What people read: summaries, plan tables and KPIs, charts, comparisons."""
