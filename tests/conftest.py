"""Test-wide settings: command-line runs started by the tests cache their results in a temporary folder,
never in the repository's .cache."""
import os
import tempfile

os.environ.setdefault("VERIFIERS_CACHE", tempfile.mkdtemp(prefix="verifiers-cache-"))
