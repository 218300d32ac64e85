"""Speed of the Numba kernels against their NumPy twins, measured in the same run (``make bench``)."""
