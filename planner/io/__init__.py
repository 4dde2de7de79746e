"""Files: YAML read and written round-trip, the scenario folder, JSON Schema, benchmark importers."""
