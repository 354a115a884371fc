"""An annotated forward (typing.Optional, Dict, Tuple): torch.fx prints the annotations with
typing's repr in the graph text and as globals in the code (`typing_Dict[str,...]`)."""
import typing

import torch


class Annotated(torch.nn.Module):
    def forward(self, x: torch.Tensor, z: typing.Optional[torch.Tensor] = None
                ) -> typing.Dict[str, typing.Tuple[torch.Tensor, torch.Tensor]]:
        return {"a": (x, x + 1)}
