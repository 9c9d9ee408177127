"""The public namespaces hold PyTorch's names: a learner's ``dir(torch)`` or tab completion
on ``import ember as torch`` shows no helper of ember's own (submodules aside, which are
where a reader of the source goes)."""

import types

import pytest
import torch

import ember


@pytest.mark.parametrize(
    "ember_name, torch_namespace",
    [("ember", torch), ("ember.special", torch.special), ("ember.linalg", torch.linalg)],
)
def test_no_public_name_of_ember_own_beside_pytorch_names(ember_name, torch_namespace):
    namespace = ember
    for part in ember_name.split(".")[1:]:
        namespace = getattr(namespace, part)
    own = [
        name
        for name in dir(namespace)
        if not name.startswith("_")
        and not hasattr(torch_namespace, name)
        and not isinstance(getattr(namespace, name), types.ModuleType)
    ]
    assert own == []
