"""The benchmark harness behind `benchmarks/run.py`: sets and known values, the planner's path, checks, summaries."""
