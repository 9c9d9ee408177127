"""einsum: products, sums, diagonals and transposes named by an equation of subscripts.

``einsum("bij,bjk->bik", a, b)`` names each dim of each operand by a letter; a letter
in several operands pairs those dims, one missing from the output is summed over,
and ``...`` stands for the dims the letters leave over (broadcast across operands).
Without ``->`` the output holds the ``...`` dims, then the letters used once, in
alphabetical order. The sublist form, ``einsum(a, [0, 1], b, [1, 2], [0, 2])``, names
dims by numbers instead, 0-25 for A-Z and 26-51 for a-z.

The equation is first brought to a plain form: ``...`` spelled with spare letters, a
letter repeated in one operand taken as a diagonal, and size-1 dims expanded to their
letter's size (each a differentiable view). One operand is then a permute and a sum;
several are one ``Einsum`` node, whose backward is an einsum per operand: the output's
gradient contracted with the other operands.
"""

import operator
import string

from .. import backend, dtypes
from ..arguments import check_tensor_list
from ..autograd.function import Function
from ..backend import namespace_of as xp  # the array namespace of an array
from ..tensor import Tensor
from .matrix_parts import diagonal
from .movement import expand, permute

LETTERS = string.ascii_uppercase + string.ascii_lowercase  # PyTorch's order of subscripts


class Einsum(Function):
    """An einsum of several operands, each letter once per operand and of one size
    everywhere (the plain form ``einsum`` brings equations to)."""

    saves_inputs = True

    def forward(self, *arrays, equation):
        self.equation = equation
        compute = arrays
        if arrays[0].dtype.char == "e":  # PyTorch multiplies float16 in float32
            compute = [array.astype("float32") for array in arrays]
        namespace = xp(arrays[0])
        # NumPy's einsum goes through BLAS only when asked to optimize; CuPy's always
        # contracts pairwise on the GPU
        optimize = {"optimize": True} if namespace is backend.cpu_namespace else {}
        out = namespace.asarray(namespace.einsum(equation, *compute, **optimize))
        out = out.astype(arrays[0].dtype, copy=False)
        return out if out.flags.c_contiguous else namespace.ascontiguousarray(out)

    def backward(self, grad):
        operands = self.inputs
        terms, output = self.equation.split("->")
        terms = terms.split(",")
        grads = []
        for position, term in enumerate(terms):
            if not self.needs_input_grad(position):
                grads.append(None)
                continue
            others = terms[:position] + terms[position + 1 :]
            other_operands = operands[:position] + operands[position + 1 :]
            grads.append(
                _contracted_back(
                    grad, output, others, other_operands, term, operands[position].shape
                )
            )
        return tuple(grads)

    def name(self):
        # PyTorch composes einsum from a view of a batched product, or a plain product when
        # nothing is summed; its node is named after that last step.
        terms, output = self.equation.split("->")
        summed = set(terms) - set(output) - {","}
        return "ViewBackward0" if summed else "MulBackward0"


def _contracted_back(grad, output, others, other_operands, term, shape):
    """The gradient of the operand with subscripts ``term``: ``grad`` contracted with the
    other operands, then expanded along the letters only that operand has (summed away
    in forward, so each of its elements got the same gradient)."""
    elsewhere = output + "".join(others)
    present = "".join(letter for letter in term if letter in elsewhere)
    contracted = einsum(",".join([output, *others]) + "->" + present, grad, *other_operands)
    if present == term:
        return contracted
    with_ones = [size if letter in present else 1 for letter, size in zip(term, shape)]
    return contracted.reshape(with_ones).expand(shape)


def einsum(equation, *operands):
    if not isinstance(equation, (str, list, tuple)) and operands:
        # the sublist form, einsum(a, [0, 1], b, [1, 2], [0, 2]), which names dims by numbers
        equation, operands = _equation_of_sublists((equation, *operands))
    if not isinstance(equation, str) or not operands:
        raise ValueError(
            "einsum() takes an equation (a str) and then one or more tensors, as in "
            "einsum('ij,jk->ik', a, b)"
        )
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])  # einsum(equation, [a, b])
    check_tensor_list(operands, "einsum")
    terms, output = _parse(equation, operands)
    sizes = _letter_sizes(terms, operands)
    operands = _in_common_dtype(terms, output, operands)
    plain = []
    for term, operand in zip(terms, operands):
        term, operand = _without_repeated_letters(term, operand)
        plain.append((term, _expanded_to_sizes(term, operand, sizes)))
    if len(plain) == 1:
        return _one_operand(*plain[0], output)
    summed = set("".join(terms)) - set(output)
    if summed and operands[0]._data.dtype.kind == "b":
        raise NotImplementedError("einsum of several bool tensors that sums is not implemented")
    equation = ",".join(term for term, _ in plain) + "->" + output
    return Einsum.apply(*[operand for _, operand in plain], equation=equation)


def _equation_of_sublists(arguments):
    """Each operand is followed by the subscripts of its dims (ints 0-51, or ``...``), and
    the output's may come last: the same einsum as an equation of letters."""
    operands, sublists = arguments[0::2], arguments[1::2]
    output = None
    if len(arguments) % 2:  # an odd count ends with the output's subscripts
        operands, output = operands[:-1], operands[-1]
    terms = [_letters_of(sublist) for sublist in sublists]
    arrow = "" if output is None else "->" + _letters_of(output)
    return ",".join(terms) + arrow, operands


def _letters_of(sublist):
    """The letters of a list of subscripts (a 1-d integer tensor of them too, as PyTorch
    reads it)."""
    if not isinstance(sublist, (list, tuple, Tensor)):
        raise TypeError(
            "einsum()'s sublist form takes each tensor followed by a list of its subscripts, "
            f"as in einsum(a, [0, 1], b, [1, 2], [0, 2]); got {type(sublist).__name__}"
        )
    letters = []
    for subscript in sublist:
        if subscript is Ellipsis:
            letters.append("...")
            continue
        if isinstance(subscript, Tensor) and subscript.numel() != 1:
            # PyTorch compares the subscript with 0: a RuntimeError for several values
            raise RuntimeError(
                "einsum(): each subscript of a subscript list must be one int, not a tensor "
                f"of {subscript.numel()} values (a tensor where its subscripts go?)"
            )
        subscript = operator.index(subscript)  # a float is a TypeError, as in PyTorch
        if not 0 <= subscript < len(LETTERS):
            raise ValueError(
                f"einsum(): subscript {subscript} in a subscript list is not within the "
                f"valid range [0, {len(LETTERS)})"
            )
        letters.append(LETTERS[subscript])
    return "".join(letters)


def _parse(equation, operands):
    """The subscripts of each operand and of the output, ``...`` spelled out in letters
    the equation does not use; PyTorch's RuntimeErrors for equations that do not fit."""
    equation = equation.replace(" ", "")
    left, arrow, right = equation.partition("->")
    terms = left.split(",")
    if len(terms) != len(operands):
        fewer = len(operands) < len(terms)
        raise RuntimeError(
            f"einsum(): {'fewer' if fewer else 'more'} operands were provided than specified "
            f"in the equation ({len(operands)} operands for {len(terms)} terms in {equation!r})"
        )
    spare = [letter for letter in LETTERS if letter not in equation]
    letters = [
        _checked_term(term, equation, f"for operand {number}") for number, term in enumerate(terms)
    ]
    extra_dims = [
        _extra_dims(term, operand, number)
        for number, (term, operand) in enumerate(zip(letters, operands))
    ]
    most = max(extra_dims)
    terms = [
        term.replace("...", "".join(spare[most - extra : most]))
        for term, extra in zip(letters, extra_dims)
    ]
    ellipsis = "".join(spare[:most])
    if arrow:
        output = _checked_term(right, equation, "in the output").replace("...", ellipsis)
        _check_output(output, "".join(terms))
    else:
        used = "".join(terms)
        once = sorted(letter for letter in set(used) if used.count(letter) == 1)
        output = ellipsis + "".join(letter for letter in once if letter not in ellipsis)
    return terms, output


def _checked_term(term, equation, where):
    """``term`` checked: letters, and at most one ``...``."""
    rest = term.replace("...", "", 1)
    if "." in rest:
        raise RuntimeError(f"einsum(): a '.' {where} is not part of an ellipsis ('...')")
    for letter in rest:
        if letter not in LETTERS:
            raise RuntimeError(
                f"einsum(): subscripts are letters a-z and A-Z; {letter!r} at position "
                f"{equation.index(letter)} of the equation is not one"
            )
    return term


def _extra_dims(term, operand, number):
    """How many dims the ``...`` of ``term`` stands for in ``operand``."""
    named = len(term.replace("...", ""))
    ndim = operand._data.ndim
    if "..." in term and named <= ndim:
        return ndim - named
    if named != ndim or "..." in term:
        raise RuntimeError(
            f"einsum(): operand {number} has {ndim} dims, but its term in the equation names "
            f"{named}" + ("" if "..." in term else " and no ellipsis was given")
        )
    return 0


def _check_output(output, inputs):
    for letter in output:
        if letter not in inputs:
            raise RuntimeError(
                f"einsum(): the output's subscript {letter} names no dim of any operand"
            )
        if output.count(letter) > 1:
            raise RuntimeError(
                f"einsum(): the output names subscript {letter} twice; each at most once"
            )


def _letter_sizes(terms, operands):
    """Each letter's size; a size-1 dim broadcasts to its letter's other size."""
    sizes = {}
    for number, (term, operand) in enumerate(zip(terms, operands)):
        for letter, size in zip(term, operand._data.shape):
            seen = sizes.setdefault(letter, size)
            if size != seen and size != 1 and seen != 1:
                raise RuntimeError(
                    f"einsum(): subscript {letter} has size {size} for operand {number} which "
                    f"does not broadcast with previously seen size {seen}"
                )
            if seen == 1:
                sizes[letter] = size
    return sizes


def _in_common_dtype(terms, output, operands):
    """The operands in the dtype they promote to. PyTorch multiplies them left to right:
    a step that sums a letter both sides have is a matrix product, which refuses two
    dtypes; a step that sums none multiplies element by element, which promotes
    (``einsum('i,j->ij', float64, float32)`` is float64)."""
    first = operands[0]._data.dtype
    if all(operand._data.dtype == first for operand in operands):
        return operands
    dtype, letters = operands[0].dtype, set(terms[0])
    for position in range(1, len(terms)):
        term, other = set(terms[position]), operands[position].dtype
        kept = set(output).union(*terms[position + 1 :])
        if (letters & term) - kept and other != dtype:
            raise RuntimeError(
                f"einsum(): operands of dtypes {dtype} and {other} share a summed subscript, "
                "and their product needs one dtype; convert one with .to()"
            )
        dtype = dtypes.promote_types(dtype, other)
        letters = (letters | term) & kept
    return [operand.to(dtype) for operand in operands]


def _without_repeated_letters(term, operand):
    """A letter twice in one operand takes that operand's diagonal (a view), so that each
    letter names one dim."""
    for position, letter in enumerate(term):
        other = term.find(letter, position + 1)
        if other != -1:
            shape = operand._data.shape
            if shape[position] != shape[other]:
                raise RuntimeError(
                    f"einsum(): subscript {letter} is repeated for an operand but the sizes "
                    f"don't match, {shape[position]} != {shape[other]}"
                )
            operand = diagonal(operand, 0, position, other)
            term = term[:position] + term[position + 1 : other] + term[other + 1 :] + letter
            return _without_repeated_letters(term, operand)
    return term, operand


def _expanded_to_sizes(term, operand, sizes):
    target = tuple(sizes[letter] for letter in term)
    return operand if target == operand._data.shape else expand(operand, target)


def _one_operand(term, operand, output):
    """One operand: its dims put in the output's order, the others after them and summed."""
    summed = [position for position, letter in enumerate(term) if letter not in output]
    order = [term.index(letter) for letter in output] + summed
    result = permute(operand, tuple(order))
    if summed:
        result = result.sum(tuple(range(len(output), len(term))))
    return result
