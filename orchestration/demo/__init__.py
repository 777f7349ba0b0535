"""The demo company generator: Northwind Analytics' source-system exports, deterministic and vectorised."""

from orchestration.demo.defects import DEFECTS
from orchestration.demo.generator import DemoSummary, TableOutput, generate_demo, last_closed_month

__all__ = ["DEFECTS", "DemoSummary", "TableOutput", "generate_demo", "last_closed_month"]
