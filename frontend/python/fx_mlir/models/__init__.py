"""Python twins of the C++ model zoo, for importing through real torch.fx."""
