"""Separable linear classification: logistic GD with large steps and the batch perceptron (Tyurin 2024)."""
from problems.linear_classification.generators import separable_data
from problems.linear_classification.methods import (
    batch_perceptron,
    logistic_gd,
    perceptron_deviation,
)

__all__ = ["separable_data", "logistic_gd", "batch_perceptron", "perceptron_deviation"]
