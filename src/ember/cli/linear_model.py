"""The linear model ``ember fit`` trains and ``ember predict`` applies, saved as plain JSON.

Weights are kept in the preprocessed feature space (what the model multiplies);
``original_units`` turns them back into per-column coefficients of the raw
inputs by undoing the standardisation.
"""

import json

import numpy as np

import ember
from ember import d2l
from ember.preprocessing import DataError, read_json, write_text_atomically

from .training import check_finite

FORMAT = "ember.cli.LinearModel"
VERSION = 1


class LinearModel:
    def __init__(self, feature_names, weight, bias, target, solver):
        self.feature_names = list(feature_names)
        self.weight = np.asarray(weight, dtype=np.float64).reshape(-1)
        self.bias = float(bias)
        self.target, self.solver = target, solver

    def predict(self, features):
        """Predictions (n,) for a float64 array of preprocessed features (n, p)."""
        X = ember.tensor(np.asarray(features, dtype=np.float64))
        w = ember.tensor(self.weight).reshape(-1, 1)
        return (ember.matmul(X, w) + self.bias).reshape(-1).numpy()

    def original_units(self, preprocessor):
        """(coefficients by feature name, intercept) for unscaled numeric inputs."""
        coefficients = dict(zip(self.feature_names, self.weight.tolist()))
        intercept = self.bias
        if preprocessor.standardize:
            for column in preprocessor.columns:
                if column["kind"] == "numeric":
                    name = column["name"]
                    coefficients[name] /= column["scale"]
                    intercept -= coefficients[name] * column["mean"]
        return coefficients, intercept

    def to_dict(self):
        return {
            "format": FORMAT,
            "version": VERSION,
            "target": self.target,
            "solver": self.solver,
            "features": self.feature_names,
            "weight": self.weight.tolist(),
            "bias": self.bias,
        }

    def to_json(self):
        return json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n"

    def save(self, path):
        return write_text_atomically(path, self.to_json())

    @classmethod
    def load(cls, path):
        state = read_json(path)
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise DataError(f"not a saved {FORMAT}", path)
        if state.get("version") != VERSION:
            raise DataError(f"was saved as version {state.get('version')}, not {VERSION}", path)
        missing = [
            key for key in ("features", "weight", "bias", "target", "solver") if key not in state
        ]
        if missing:
            raise DataError(f"has no {', '.join(missing)}", path)
        if len(state["features"]) != len(state["weight"]):
            raise DataError("has a different number of features and weights", path)
        try:
            model = cls(
                state["features"], state["weight"], state["bias"], state["target"], state["solver"]
            )
        except (TypeError, ValueError):
            model = None
        if model is None or not np.isfinite(model.weight).all() or not np.isfinite(model.bias):
            raise DataError("is damaged: its weights and bias are not all finite numbers", path)
        return model


def closed_form(X, y):
    """Least squares with an intercept, through ``ember.linalg.lstsq`` in float64.

    Returns (weight (p,), bias). When columns are collinear (one-hot columns and
    the intercept always are) this is the minimum-norm solution, the one SGD
    started from zero also approaches.
    """
    X = ember.tensor(np.asarray(X, dtype=np.float64))
    A = ember.cat([X, ember.ones(len(X), 1, dtype=ember.float64)], dim=1)
    b = ember.tensor(np.asarray(y, dtype=np.float64).reshape(-1, 1))
    solution = ember.linalg.lstsq(A, b).solution.reshape(-1).numpy()
    return solution[:-1].copy(), float(solution[-1])


def sgd(X, y, epochs, lr, batch_size, progress=None):
    """Minibatch SGD on half the squared error from zero weights, the notes' way.

    Two things make it converge in a fixed number of epochs on real tables:
    each column is divided by its root mean square for training (a diagonal
    preconditioner: a rare one-hot column otherwise learns ~1/frequency times
    slower), and the learning rate decays from ``lr`` to ``lr / 10``.
    ``progress(batches, epoch)`` may wrap each epoch's batches (a progress bar).
    Returns (weight (p,), bias, loss after each epoch).
    """
    X = np.asarray(X, dtype=np.float64)
    scale = np.sqrt(np.mean(X * X, axis=0))
    scale[scale == 0] = 1.0
    Z = ember.tensor((X / scale).astype(np.float32))
    y = ember.tensor(np.asarray(y, dtype=np.float32).reshape(-1, 1))
    w = ember.zeros(Z.shape[1], 1, requires_grad=True)
    b = ember.zeros(1, requires_grad=True)
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported, not warned
        for epoch in range(epochs):
            rate = lr / (1 + 9 * epoch / max(epochs - 1, 1))
            batches = d2l.data_iter(batch_size, Z, y)
            for features, labels in progress(batches, epoch) if progress else batches:
                d2l.squared_loss(d2l.linreg(features, w, b), labels).sum().backward()
                d2l.sgd([w, b], rate, len(features))
            with ember.no_grad():
                loss = float(d2l.squared_loss(d2l.linreg(Z, w, b), y).mean())
            check_finite(loss, epoch, "SGD")
            losses.append(loss)
    weight = w.detach().reshape(-1).numpy().astype(np.float64) / scale
    return weight, float(b.item()), losses


def smallest_equivalent(X, weight, bias):
    """The smallest (weight, bias) that predicts exactly what (weight, bias) predicts on X.

    With collinear columns (one-hot columns sum to the intercept's column) many
    weight vectors give the same predictions; the least-squares solver returns
    the smallest, so SGD's answer is put in the same form before comparing.
    """
    X = np.asarray(X, dtype=np.float64)
    return closed_form(X, X @ weight + bias)


def mse(predictions, targets):
    return float(np.mean((np.asarray(predictions) - np.asarray(targets).reshape(-1)) ** 2))


def r2(predictions, targets):
    """1 - SSE / SST: the share of the targets' variance the model explains (nan if constant)."""
    targets = np.asarray(targets, dtype=np.float64).reshape(-1)
    total = float(np.sum((targets - targets.mean()) ** 2))
    if total == 0.0:
        return float("nan")
    return 1.0 - float(np.sum((np.asarray(predictions) - targets) ** 2)) / total
