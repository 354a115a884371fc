"""Integer pow: negative exponents (0 except for the bases 1 and -1, and 0 ** -1 is 0, as
torch's integer kernel), results that wrap, and uint8 exponents of 128 and more."""
import torch


class IntegerPow(torch.nn.Module):
    def forward(self, a, b, c, d):
        return (a ** b, c ** d, a ** 3, torch.pow(2, b.clamp(min=0)),
                a.to(torch.int32) ** b.to(torch.int32))


def model():
    return IntegerPow()
