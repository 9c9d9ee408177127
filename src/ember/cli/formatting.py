"""Numbers as the commands print them."""


def vector(values, digits=4):
    """``[2.0001, -3.3998]`` from a tensor or a sequence of numbers."""
    if hasattr(values, "reshape"):
        values = values.reshape(-1).tolist()
    if not isinstance(values, (list, tuple)):
        values = [values]
    # round first and add 0.0 so that -0.00001 prints as 0.0000, not -0.0000
    return "[" + ", ".join(f"{round(float(v), digits) + 0.0:.{digits}f}" for v in values) + "]"


def counted(count, noun, plural=None):
    """``1 row``, ``2 rows``: a count with its noun, plural where English wants it."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def wrote(path):
    print(f"wrote {path}")
