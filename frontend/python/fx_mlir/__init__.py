"""FX-MLIR's Python side: import torch.fx GraphModules into the fx dialect."""
