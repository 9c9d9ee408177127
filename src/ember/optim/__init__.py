"""``ember.optim``: optimizers that update parameters in place from their ``.grad``.

trainer = ember.optim.SGD(net.parameters(), lr=0.03)
trainer.zero_grad(); loss.backward(); trainer.step()
"""

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD
