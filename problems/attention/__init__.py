r"""One attention layer: softmax attention trained by normalized gradient descent against the attention
SVM it converges to (Tarzanagh, Li, Thrampoulidis & Oymak 2023), and the pre-training optimum of linear
self-attention on in-context regression (Mahankali, Hashimoto & Ma 2023). Numba kernels with
array-API twins (NumPy, CuPy, array_api_strict); the SVMs are solved with CVXPY.
"""
from .generators import in_context_regression, token_selection
from .lsa import gd_block_rows, lsa_optimum
from .methods import alignment_gap, attention_gd, max_margin_attention, off_token_mass

__all__ = ["token_selection", "in_context_regression", "attention_gd", "max_margin_attention", "alignment_gap",
           "off_token_mass", "lsa_optimum", "gd_block_rows"]
