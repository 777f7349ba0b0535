"""The demo company generator: Northwind Analytics' source-system exports, deterministic and vectorised.

``generate_demo(landing_dir, seed=42, months=36, scale=1.0, end_month=None, defects=frozenset())``
writes every table of ``scorecard_config/sources.yml`` into the landing directory. The story it tells,
as positions in the window (0 = first month, 1 = last; see ``timeline``):

- signups grow ~2.5% a month with peaks in January and September-October and a summer dip;
- onboarding completion (all four milestones in 30 days) sits near 50% until a guided-onboarding
  initiative lands around 0.40-0.55 and lifts it to ~80%; journeys and time to first value shorten;
- accounts that complete onboarding churn far less, so logo churn falls a few months later;
- CS/support training on-time completion (~88%) dips to ~58% around 0.62 and recovers; first-contact
  resolution and CSAT follow about two months later; engagement sags (and voluntary attrition rises)
  just before;
- enterprise accounts pay more and churn less; upgrades, downgrades and a few reactivations happen.

``DEFECTS`` lists the data-quality defects that can be injected for testing ingestion.
"""

from orchestration.demo.defects import DEFECTS
from orchestration.demo.generator import DemoSummary, TableOutput, generate_demo, last_closed_month

__all__ = ["DEFECTS", "DemoSummary", "TableOutput", "generate_demo", "last_closed_month"]
