"""float16 through compiled graphs, as PyTorch 1.13 computes it on the CPU: each op in float32,
rounded to half once (scalars rounded to half first); sums accumulated in float32."""
import torch


class HalfOps(torch.nn.Module):
    def forward(self, x, y):
        return (x + y, x * y, x / y, x.sum(1), x.mean(), x.amax(1), x < y, x ** 2,
                torch.where(x > 0, x, y), x + 1.3, x * 0.1 + y, x.float(), x.sum(0).half(),
                torch.ones(1) + x.sum(), (x - y).abs().sum(), x.to(torch.int64))


def model():
    return HalfOps()
