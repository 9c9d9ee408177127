"""Numbers as the commands print them."""


def vector(values, digits=4):
    """``[2.0001, -3.3998]`` from a tensor or a sequence of numbers."""
    if hasattr(values, "reshape"):
        values = values.reshape(-1).tolist()
    if not isinstance(values, (list, tuple)):
        values = [values]
    return "[" + ", ".join(f"{float(v):.{digits}f}" for v in values) + "]"


def wrote(path):
    print(f"wrote {path}")
