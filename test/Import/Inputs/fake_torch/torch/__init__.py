# Stands in for a Python without PyTorch.
raise ImportError("No module named 'torch' (simulated)")
