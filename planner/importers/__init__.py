"""Importers: benchmark and foreign file formats turned into scenarios."""

from planner.importers.psplib import BenchmarkImportError, import_psplib, scenario_to_yaml

__all__ = ["BenchmarkImportError", "import_psplib", "scenario_to_yaml"]
