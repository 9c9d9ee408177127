"""``ember.optim``: optimizers that update parameters in place from their ``.grad``.

trainer = ember.optim.SGD(net.parameters(), lr=0.03)
trainer.zero_grad(); loss.backward(); trainer.step()
"""

from . import lr_scheduler
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .sgd import SGD
