"""Nonsmooth convex stochastic optimization: last-iterate SGD on absolute-loss regression (Liu & Zhou 2024)."""
from problems.nonsmooth.generators import absolute_objective, absolute_regression
from problems.nonsmooth.methods import sgd, step_sizes

__all__ = ["absolute_regression", "absolute_objective", "sgd", "step_sizes"]
