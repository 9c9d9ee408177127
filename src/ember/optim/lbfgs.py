"""L-BFGS: quasi-Newton steps from a short history of position and gradient changes.

All parameters together are one flat vector x (in parameter order) with gradient g; a
parameter whose ``.grad`` is None counts as zeros. One ``step(closure)`` runs up to
``max_iter`` iterations of

    s = t * d,  y = g - g_prev          the last move, and how it changed the gradient
    keep (s, y) if y.s > 1e-10          forgetting the oldest pair past history_size
    d = -H g                            H: the inverse Hessian the pairs imply, starting
                                        from (y.s / y.y) I, applied by the two-loop
                                        recursion (Nocedal & Wright, algorithm 7.4)
    x = x + t * d                       t = lr, or what the line search chose

where the very first iteration moves along d = -g by t = min(1, 1 / sum|g|) * lr. The
iterations stop at the first of PyTorch's tests, in its order: max_iter iterations,
max_eval evaluations of the closure, max|g| <= tolerance_grad, max|t d| <=
tolerance_change, |loss change| < tolerance_change; and before moving, when d is no
descent direction (g.d > -tolerance_change).

``line_search_fn="strong_wolfe"`` chooses t by Nocedal & Wright's algorithms 3.5 and 3.6
(bracketing, then zoom) with PyTorch's constants and safeguards, so that the two take
the same decisions and their parameters agree to rounding.

The memory lives in the state of the first parameter, under PyTorch's keys, so that a
state dict saved mid-run carries it to a fresh optimizer.
"""

from .. import backend
from ..autograd.grad_mode import enable_grad
from ..tensor import Tensor
from .optimizer import Optimizer, as_number, check_learning_rate

SUFFICIENT_DECREASE = 1e-4  # c1 of the Wolfe conditions: the loss falls by c1 t |g.d| or more
CURVATURE = 0.9  # c2: the slope's magnitude shrinks to c2 times the starting one, or less
SMALLEST_CURVATURE = 1e-10  # a pair with y.s below this would spoil H: it is skipped
# The zoom stops once the bracket, times max|d|, is narrower than this; PyTorch's line
# search does not read the group's tolerance_change.
BRACKET_TOLERANCE = 1e-9

# The memory's attributes and the state keys PyTorch keeps them under.
STATE_KEYS = {
    "direction": "d",
    "step_size": "t",
    "gradient_changes": "old_dirs",
    "position_changes": "old_stps",
    "reciprocal_curvatures": "ro",
    "hessian_scale": "H_diag",
    "previous_grad": "prev_flat_grad",
    "previous_loss": "prev_loss",
}


class LBFGS(Optimizer):
    def __init__(
        self,
        params,
        lr=1,
        max_iter=20,
        max_eval=None,
        tolerance_grad=1e-7,
        tolerance_change=1e-9,
        history_size=100,
        line_search_fn=None,
    ):
        check_learning_rate(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4  # PyTorch's default: a quarter more than max_iter
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")

    @property
    def _params(self):
        return self.param_groups[0]["params"]

    def step(self, closure):
        """Up to ``max_iter`` iterations; returns the loss the closure gave first."""
        if len(self.param_groups) != 1:
            # AssertionError is what PyTorch raises once add_param_group made a second group.
            raise AssertionError(
                f"Expected exactly one param_group, but got {len(self.param_groups)}"
            )
        group = self.param_groups[0]
        state = self.state[self._params[0]]  # the only state: it travels with parameter 0
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        first_loss = _call_with_grad(closure)
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        # as_number: a NumPy maximum would compare with a tuple elementwise, not refuse it
        if _largest_magnitude(flat_grad) <= as_number(group["tolerance_grad"]):
            return first_loss  # already optimal: the memory stays as it was
        memory = _Memory.from_state(state)
        self._iterate(closure, group, state, memory, _as_float(first_loss), flat_grad)
        memory.save_to(state)
        return first_loss

    def _iterate(self, closure, group, state, memory, loss, flat_grad):
        """The L-BFGS iterations of one step, from the loss and gradient at the start."""
        evaluations = 1
        for iteration in range(1, group["max_iter"] + 1):
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                memory.start(flat_grad)
            else:
                memory.remember_last_move(flat_grad, group["history_size"])
                self._follow_memory(memory, flat_grad, state, group["history_size"])
            memory.previous_grad, memory.previous_loss = flat_grad, loss
            memory.step_size = _initial_step_size(flat_grad, state, as_number(group["lr"]))
            slope = _dot(flat_grad, memory.direction)
            if slope > -group["tolerance_change"]:
                return  # not (enough of) a descent direction
            is_last = iteration == group["max_iter"]
            loss, flat_grad, used = self._move(
                closure, group, memory, loss, flat_grad, slope, evaluations, is_last
            )
            evaluations += used
            state["func_evals"] += used
            if _should_stop(group, is_last, evaluations, flat_grad, memory, loss):
                return

    @staticmethod
    def _follow_memory(memory, flat_grad, state, history_size):
        """Point ``memory.direction`` at -H g; the first loop's coefficients go to state["al"]."""
        # PyTorch keeps them in the state (key "al", history_size slots), made on first use.
        coefficients = [_as_array(value) for value in state.setdefault("al", [None] * history_size)]
        memory.direction = memory.two_loop_direction(flat_grad, coefficients)
        state["al"] = [_as_tensor(value) for value in coefficients]

    def _move(self, closure, group, memory, loss, flat_grad, slope, evaluations, is_last):
        """Move the parameters along ``memory.direction``.

        Returns the loss and gradient at the new point and the evaluations spent on them.
        Without a line search the step is ``memory.step_size``, and the last iteration
        evaluates nothing (PyTorch saves that evaluation: nobody would read it).
        """
        direction = memory.direction
        line_search = group["line_search_fn"]
        if line_search is None:
            self._add_to_params(memory.step_size, direction)
            if is_last:
                return loss, flat_grad, 0
            return _as_float(_call_with_grad(closure)), self._flat_grad(), 1
        if line_search != "strong_wolfe":
            raise RuntimeError("only 'strong_wolfe' is supported")
        start = self._copy_params()

        def loss_and_grad_at(step_size):
            return self._loss_and_grad_along(closure, start, step_size, direction)

        search = _StrongWolfeSearch(
            loss_and_grad_at, direction, loss, flat_grad, slope, group["max_eval"] - evaluations
        )
        chosen = search.run(memory.step_size)
        memory.step_size = chosen.step
        self._add_to_params(chosen.step, direction)
        return chosen.loss, chosen.grad, search.evaluations

    def _loss_and_grad_along(self, closure, start, step_size, direction):
        """The loss and flat gradient at ``start + step_size * direction``; then back to start."""
        self._add_to_params(step_size, direction)
        loss = _as_float(_call_with_grad(closure))
        flat_grad = self._flat_grad()
        self._set_params(start)
        return loss, flat_grad

    # The parameters as one flat vector ------------------------------------------------

    def _flat_grad(self):
        """Every parameter's gradient, flattened and joined in parameter order (None: zeros)."""
        namespace = backend.namespace_of(self._params[0]._data)
        parts = []
        for param in self._params:
            if param._grad is None:
                parts.append(namespace.zeros(param._data.size, dtype=param._data.dtype))
            else:
                parts.append(param._grad._data.reshape(-1))
        return namespace.concatenate(parts)

    def _add_to_params(self, step_size, direction):
        """``x = x + step_size * direction``, each parameter taking its slice in place."""
        offset = 0
        for param in self._params:
            data = param._data
            part = direction[offset : offset + data.size].reshape(data.shape)
            data += part * step_size
            param._counter().value += 1
            offset += data.size

    def _copy_params(self):
        return [param._data.copy() for param in self._params]

    def _set_params(self, arrays):
        for param, array in zip(self._params, arrays):
            param._data[...] = array
            param._counter().value += 1


def _initial_step_size(flat_grad, state, lr):
    """``lr``, but at the very first iteration no longer than 1 / sum|g| times it.

    (With no curvature known yet, a plain gradient step could be far too long.)
    """
    if state["n_iter"] == 1:
        return min(1.0, 1.0 / backend.namespace_of(flat_grad).abs(flat_grad).sum()) * lr
    return lr


def _should_stop(group, is_last, evaluations, flat_grad, memory, loss):
    """PyTorch's stopping tests after a move, in its order."""
    if is_last or evaluations >= group["max_eval"]:
        return True
    if _largest_magnitude(flat_grad) <= group["tolerance_grad"]:
        return True  # a stationary point
    moved = memory.direction * memory.step_size
    if _largest_magnitude(moved) <= group["tolerance_change"]:
        return True  # the parameters have stopped moving
    return abs(loss - memory.previous_loss) < group["tolerance_change"]


class _Memory:
    """What L-BFGS carries from one iteration, and one step, to the next, as arrays.

    ``gradient_changes`` (y) and ``position_changes`` (s) are the kept pairs, oldest
    first; ``reciprocal_curvatures`` their 1 / y.s; ``hessian_scale`` the y.s / y.y of
    the newest pair, which scales the starting inverse Hessian.
    """

    @classmethod
    def from_state(cls, state):
        memory = cls()
        for attribute, key in STATE_KEYS.items():
            setattr(memory, attribute, _as_array(state.get(key)))
        return memory

    def save_to(self, state):
        for attribute, key in STATE_KEYS.items():
            state[key] = _as_tensor(getattr(self, attribute))

    def start(self, flat_grad):
        """Steepest descent, with no pairs and the identity as the inverse Hessian."""
        self.direction = -flat_grad
        self.gradient_changes, self.position_changes, self.reciprocal_curvatures = [], [], []
        self.hessian_scale = 1

    def remember_last_move(self, flat_grad, history_size):
        """Keep the last move's (s, y) pair where it has positive curvature y.s."""
        gradient_change = flat_grad - self.previous_grad
        position_change = self.direction * self.step_size
        curvature = _dot(gradient_change, position_change)
        if not curvature > SMALLEST_CURVATURE:
            return
        if len(self.gradient_changes) == history_size:
            self.gradient_changes.pop(0)
            self.position_changes.pop(0)
            self.reciprocal_curvatures.pop(0)
        self.gradient_changes.append(gradient_change)
        self.position_changes.append(position_change)
        self.reciprocal_curvatures.append(1.0 / curvature)
        self.hessian_scale = curvature / _dot(gradient_change, gradient_change)

    def two_loop_direction(self, flat_grad, coefficients):
        """-H g without forming H: newest pair to oldest, scale, then oldest to newest.

        ``coefficients`` receives the first loop's alpha_i = rho_i s_i.q, which the
        second loop reads back.
        """
        pairs = list(zip(self.position_changes, self.gradient_changes, self.reciprocal_curvatures))
        direction = -flat_grad
        for index in reversed(range(len(pairs))):
            position_change, gradient_change, reciprocal = pairs[index]
            coefficients[index] = _dot(position_change, direction) * reciprocal
            direction -= coefficients[index] * gradient_change
        direction = direction * self.hessian_scale
        for index, (position_change, gradient_change, reciprocal) in enumerate(pairs):
            correction = _dot(gradient_change, direction) * reciprocal
            direction += (coefficients[index] - correction) * position_change
        return direction


# The strong Wolfe line search -------------------------------------------------------


class _Trial:
    """One point of the line search: step size, loss, flat gradient and slope g.d there."""

    __slots__ = ("step", "loss", "grad", "slope")

    def __init__(self, step, loss, grad, slope):
        self.step, self.loss, self.grad, self.slope = step, loss, grad, slope


class _StrongWolfeSearch:
    """A step size t along d meeting the strong Wolfe conditions,

        f(t) <= f(0) + c1 t f'(0)    (sufficient decrease)
        |f'(t)| <= c2 |f'(0)|        (curvature)

    found as Nocedal & Wright's algorithms 3.5 (bracketing) and 3.6 (zoom) find it,
    with PyTorch's safeguards and budget: ``max_iterations`` trials after the first.
    """

    def __init__(self, loss_and_grad_at, direction, loss, grad, slope, max_iterations):
        self.loss_and_grad_at = loss_and_grad_at
        self.direction = direction
        self.origin = _Trial(0, loss, grad, slope)
        self.max_iterations = max_iterations
        self.iterations = 0  # trials after the first

    @property
    def evaluations(self):
        return self.iterations + 1

    def run(self, step):
        """The chosen trial: the low end of the final bracket."""
        bracket, found = self._bracket(step)
        low = 0 if bracket[0].loss <= bracket[-1].loss else 1
        if not found:
            low = self._zoom(bracket, low)
        return bracket[low]

    def _try(self, step):
        loss, grad = self.loss_and_grad_at(step)
        return _Trial(step, loss, grad, _dot(grad, self.direction))

    def _above_decrease_line(self, trial):
        """Sufficient decrease fails: the loss lies above f(0) + c1 t f'(0)."""
        origin = self.origin
        return trial.loss > origin.loss + SUFFICIENT_DECREASE * trial.step * origin.slope

    def _flat_enough(self, trial):
        """The curvature condition holds: the slope has shrunk enough in magnitude."""
        return abs(trial.slope) <= -CURVATURE * self.origin.slope

    def _bracket(self, step):
        """Grow the step until a strong Wolfe point is found or enclosed.

        Returns ``(bracket, found)``: ``[point], True`` for a point that meets both
        conditions, else two trials around one (or, out of budget, the origin and the
        last trial).
        """
        previous, trial = self.origin, self._try(step)
        while self.iterations < self.max_iterations:
            rose = self.iterations > 1 and trial.loss >= previous.loss
            if self._above_decrease_line(trial) or rose:
                return [previous, trial], False
            if self._flat_enough(trial):
                return [trial], True
            if trial.slope >= 0:
                return [previous, trial], False  # past a minimum along d
            longer = _cubic_minimum(previous, trial, _extrapolation_bounds(previous, trial))
            previous, trial = trial, self._try(longer)
            self.iterations += 1
        # Out of budget. (With max_eval below 1 PyTorch's budget is negative, and it fails
        # with an UnboundLocalError; here the one trial made is kept as any other.)
        return [self.origin, trial], False

    def _zoom(self, bracket, low):
        """Shrink ``bracket`` (in place) around a strong Wolfe point; returns its low end.

        The low end is the trial with the lower loss, so far meeting sufficient decrease.
        """
        high = 1 - low
        insufficient_progress = False
        size = _largest_magnitude(self.direction)
        while self.iterations < self.max_iterations:
            if abs(bracket[1].step - bracket[0].step) * size < BRACKET_TOLERANCE:
                break
            step = _cubic_minimum(bracket[0], bracket[1])
            step, insufficient_progress = _keep_off_the_ends(step, bracket, insufficient_progress)
            trial = self._try(step)
            self.iterations += 1
            if self._above_decrease_line(trial) or trial.loss >= bracket[low].loss:
                bracket[high] = trial
                low, high = (0, 1) if bracket[0].loss <= bracket[1].loss else (1, 0)
                continue
            if self._flat_enough(trial):
                bracket[low] = trial
                return low
            if trial.slope * (bracket[high].step - bracket[low].step) >= 0:
                bracket[high] = bracket[low]  # the minimum lies on the low end's other side
            bracket[low] = trial
        return low


def _extrapolation_bounds(previous, trial):
    """Where the bracketing phase may look next: from just past ``trial`` to 10 times it."""
    return trial.step + 0.01 * (trial.step - previous.step), trial.step * 10


def _cubic_minimum(first, second, bounds=None):
    """The minimizer of the cubic matching both trials' losses and slopes, clipped to
    ``bounds`` (by default the interval between them); their midpoint when the cubic has
    no minimum. Nocedal & Wright's (3.59), taken from the farther of the two points.
    """
    if bounds is None:
        bounds = (
            (first.step, second.step) if first.step <= second.step else (second.step, first.step)
        )
    lower, upper = bounds
    if not first.step <= second.step:
        first, second = second, first  # the formula reads the same from either end
    secant = _divided_as_torch_divides(3 * (first.loss - second.loss), first.step - second.step)
    d1 = first.slope + second.slope - secant
    d2_square = d1**2 - first.slope * second.slope
    if not d2_square >= 0:
        return (lower + upper) / 2.0
    d2 = backend.namespace_of(d2_square).sqrt(d2_square)
    ratio = (second.slope + d2 - d1) / (second.slope - first.slope + 2 * d2)
    minimum = second.step - (second.step - first.step) * ratio
    return min(max(minimum, lower), upper)


def _divided_as_torch_divides(number, divisor):
    """``number / divisor``, rounded as PyTorch rounds it when ``divisor`` is a tensor.

    PyTorch divides a Python number by a tensor as ``number * (1 / tensor)``, which rounds
    twice; rounding the same way keeps the interpolated steps within an ulp of its.
    """
    if backend.is_array(divisor) or isinstance(divisor, backend.generic_scalar):
        return (1 / divisor) * number
    return number / divisor


def _keep_off_the_ends(step, bracket, insufficient_progress):
    """PyTorch's safeguard against a zoom that creeps along one end of the bracket.

    A step within a tenth of the bracket's length of an end is moved to a tenth inside,
    when the last step was close to an end too or this one lies on or past an end.
    Returns the step and whether it was left close to an end.
    """
    lower = min(bracket[0].step, bracket[1].step)
    upper = max(bracket[0].step, bracket[1].step)
    margin = 0.1 * (upper - lower)
    if not min(upper - step, step - lower) < margin:
        return step, False
    if insufficient_progress or step >= upper or step <= lower:
        if abs(step - upper) < abs(step - lower):
            return upper - margin, False
        return lower + margin, False
    return step, True


# Small helpers ----------------------------------------------------------------------


def _call_with_grad(closure):
    """The closure's loss: it runs with gradients on, though ``step`` runs without."""
    with enable_grad():
        return closure()


def _as_float(loss):
    """The loss as a Python float, without the warning a tensor that requires grad gives."""
    return float(loss.detach()) if isinstance(loss, Tensor) else float(loss)


def _dot(a, b):
    return backend.namespace_of(a).dot(a, b)


def _largest_magnitude(array):
    """The gradient's largest magnitude; of no parameters' elements PyTorch's max() fails."""
    if array.size == 0:
        raise RuntimeError(
            "LBFGS: the parameters hold no elements, so the gradient has no largest magnitude"
        )
    return backend.namespace_of(array).abs(array).max()


def _as_array(value):
    """A state value as the algorithm uses it: arrays for tensors, lists item by item."""
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, list):
        return [_as_array(item) for item in value]
    return value


def _as_tensor(value):
    """A value as the state keeps it: tensors for arrays (and NumPy scalars), as torch."""
    if backend.is_array(value) or isinstance(value, backend.generic_scalar):
        return Tensor._make(value)
    if isinstance(value, list):
        return [_as_tensor(item) for item in value]
    return value
