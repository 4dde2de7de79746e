"""What the user wrote and what the planner answers: the scenario, the plan and the solver settings (pydantic models; no I/O, no solver)."""
