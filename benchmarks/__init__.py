"""Speed ratios measured side by side in one run (``make bench``, ``python -m benchmarks``): kernels
against their NumPy twins and plain loops, the memory roofline, throughput, the GPU and ``make verify``."""
