"""Problem instances and the methods run on them. Knows nothing of claims or verdicts."""
