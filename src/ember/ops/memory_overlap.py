"""When a write reads from the memory it writes to: PyTorch's refusal of such a copy.

``x[1:] = x[:-1]`` in NumPy gives the shifted values (it buffers the source first);
PyTorch refuses it, since its kernels copy element by element and an overlap in part
would read values already overwritten. Ember refuses what PyTorch refuses, so that code
written against ember runs on PyTorch too. Like PyTorch, it judges only what it can judge
cheaply: two arrays that each fill a block of memory with no gaps and no repeats.
"""

from .. import backend


def refuse_overlap(target, value, same_elements_allowed):
    """Raise PyTorch's RuntimeError when writing ``value`` into ``target`` (arrays of one
    shape) would read memory it writes: unless ``same_elements_allowed`` (a copy of the
    very elements onto themselves, which PyTorch's copy_ lets be), any overlap."""
    if not (target.size and value.size and is_dense(target) and is_dense(value)):
        return
    if backend.storage_identity(target) != backend.storage_identity(value):
        return
    target_start, value_start = backend.data_pointer(target), backend.data_pointer(value)
    target_end, value_end = target_start + target.nbytes, value_start + value.nbytes
    if not (target_start < value_end and value_start < target_end):
        return
    same_place = (target_start, target_end) == (value_start, value_end)
    if same_place and same_elements_allowed and _steps(target) == _steps(value):
        return
    raise overlap_error()


def overlap_error():
    return RuntimeError(
        "unsupported operation: some elements of the input tensor and the written-to tensor "
        "refer to a single memory location. Please clone() the tensor before performing "
        "the operation."
    )


def is_dense(array):
    """Whether ``array``'s elements fill a block of memory with no gaps and no repeats (in
    some order of its dims): PyTorch's non-overlapping and dense."""
    dims = sorted((abs(step), size) for size, step in zip(array.shape, array.strides) if size > 1)
    expected = array.itemsize
    for step, size in dims:
        if step != expected:
            return False
        expected *= size
    return True


def _steps(array):
    """The strides of the dims of more than one element (the others' say nothing)."""
    return [step for size, step in zip(array.shape, array.strides) if size > 1]


def may_overlap(shape, steps):
    """Whether two elements of the geometry might share a storage element: true unless each
    dim's step, smallest first, clears everything the smaller steps span."""
    spanned = 0
    for step, size in sorted((step, size) for size, step in zip(shape, steps) if size > 1):
        if step <= spanned:
            return True
        spanned += (size - 1) * step
    return False
