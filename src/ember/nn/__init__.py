"""``ember.nn``: modules, parameters, losses, initialisers and the functional API.

from ember import nn
net = nn.Sequential(nn.Linear(2, 1))
"""

from . import functional, init
from .containers import ModuleDict, ModuleList, Sequential
from .layers import (
    ELU,
    GELU,
    Dropout,
    Flatten,
    Identity,
    LazyLinear,
    LeakyReLU,
    Linear,
    LogSoftmax,
    PReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
    UninitializedParameter,
)
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .module import Module
from .parameter import Buffer, Parameter
from .parameter_containers import ParameterDict, ParameterList
