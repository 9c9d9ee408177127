"""ember's ops, one family per module: elementwise, reductions, movement,
indexing, in-place updates, linear algebra and device transfer."""
