"""float16 ops computed as PyTorch's CPU kernels compute them: in float32, rounded once.

On the CPU, PyTorch widens float16 operands to float32, computes, and rounds the
result to float16 once. NumPy's float16 functions do not always round to the same
value, so an op that must match PyTorch's bits in float16 uses its float16 form:
``float16_form(op)``, ``op`` with ``InFloat32``'s forward. Each op module keeps its
own table of float16 forms next to its ops (``FLOAT16_FORMS`` in unary_math.py and
in elementwise.py).
"""


class InFloat32:
    """Mixed in before an op, computes its float16 forward as PyTorch's CPU kernels do: in
    float32, rounded once to float16. Where NumPy's float32 functions and PyTorch's differ
    in the last bit, PyTorch's is nearly always the correctly rounded value, so the float32
    result is taken from float64. Measured over all 65,536 float16 values, the unary ops in
    unary_math's ``FLOAT16_FORMS`` then give PyTorch's bits, but for 4 values of asinh
    (``tests/test_math_round.py``)."""

    __slots__ = ()

    def forward(self, *arguments):
        wide = [value.astype("float64") if is_float16(value) else value for value in arguments]
        return super().forward(*wide).astype("float32").astype("float16")


class WidenedToFloat32:
    """Mixed in before an op whose float32 forward already rounds as PyTorch's float32
    kernel does (lerp's fused multiply-add): its float16 operands are widened to float32,
    not float64, as PyTorch widens them, and the result is rounded to float16."""

    __slots__ = ()

    def forward(self, *arguments, **options):
        wide = [value.astype("float32") if is_float16(value) else value for value in arguments]
        return super().forward(*wide, **options).astype("float16")


def float16_form(op, widened=InFloat32):
    """``op`` with the forward of ``widened`` (``InFloat32`` or ``WidenedToFloat32``),
    under ``op``'s name (its node prints as op's)."""
    return type(op.__name__, (widened, op), {"__module__": op.__module__})


def is_float16(value):
    return getattr(getattr(value, "dtype", None), "char", "") == "e"
