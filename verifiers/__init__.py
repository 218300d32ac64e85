"""How a claim becomes a verdict: one module per test kind, the runner, the report."""
