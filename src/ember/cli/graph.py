"""``ember graph``: draw the computation graph of an expression in ``x`` (SPEC A10)."""

import sys

import ember
from ember import viz

from .errors import CommandError

NOTES_EXPRESSION = "2 * torch.dot(x, x)"


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "graph",
        help="draw the computation graph of an expression (default: the notes' y = 2 x·x)",
        description=(
            "Evaluate a Python expression in x (a tensor that requires grad) with ember as "
            "'torch', and draw the graph autograd recorded. Without -o, prints DOT text. "
            "With -o FILE.svg/.png, renders with Graphviz when its 'dot' program is "
            "installed, and writes FILE.dot otherwise."
        ),
    )
    parser.add_argument(
        "--expr", default=NOTES_EXPRESSION, help=f"the expression (default: {NOTES_EXPRESSION})"
    )
    parser.add_argument(
        "--x", default="0,1,2,3", help="comma-separated values of x (default: 0,1,2,3)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write .svg, .png, .pdf or .dot")


def parse_values(text):
    try:
        return [float(value) for value in text.split(",")]
    except ValueError:
        raise CommandError(f"--x: expected numbers separated by commas, got {text!r}") from None


def evaluate(expression, x):
    names = {"torch": ember, "ember": ember, "x": x, "__builtins__": {}}
    try:
        return eval(expression, names)  # the user's own expression, on their own machine
    except Exception as error:
        raise CommandError(
            f"could not evaluate {expression!r}: {type(error).__name__}: {error}"
        ) from None


def run(args):
    x = ember.tensor(parse_values(args.x), requires_grad=True)
    y = evaluate(args.expr, x)
    if not isinstance(y, ember.Tensor) or y.grad_fn is None:
        raise CommandError(f"{args.expr!r} does not compute a tensor from x, so it has no graph")
    report = sys.stderr if args.output is None else sys.stdout
    summary = f"y = {args.expr} with x = {x.detach().tolist()}"
    if y.numel() == 1:
        y.backward(retain_graph=True)
        gradient = ", ".join(f"{value:g}" for value in x.grad.tolist())
        summary += f": y = {y.item():g}, dy/dx = [{gradient}]"
    print(summary, file=report)
    drawing = viz.graph(y, args.output, params={"x": x, "y": y})
    if args.output is None:
        sys.stdout.write(drawing.source)
    elif drawing.rendered:
        print(f"wrote {drawing.path}")
    elif drawing.path != args.output:
        print(
            f"Graphviz's 'dot' program is not installed: wrote the DOT text to {drawing.path} "
            f"(render it with: dot -T{args.output.rsplit('.', 1)[-1]} {drawing.path} "
            f"-o {args.output})"
        )
    else:
        print(f"wrote {drawing.path}")
    return 0
