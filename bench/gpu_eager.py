"""PyTorch's side of the GPU check (runs on the GPU machine).

  gpu_eager.py SPEC SEED IO_DIR REPEAT

Builds the model as fx-import-torch --seed SEED does, writes its state_dict as
IO_DIR/weights/<name>.npy (what a library compiled with --weights-as-inputs takes), runs it on
cuda (TF32 off) on IO_DIR/input*.npy, writes IO_DIR/torch_gpu_output0.npy and prints the
median time in ms over REPEAT runs (CUDA events). SPEC is MODULE:CALLABLE (a .py path or an
importable module).
"""
import glob
import importlib
import importlib.util
import os
import statistics
import sys

import numpy as np
import torch


def load(spec):
    module_name, _, attr = spec.rpartition(":")
    if module_name.endswith(".py"):
        path = os.path.abspath(module_name)
        sys.path.insert(0, os.path.dirname(path))
        s = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        module = importlib.util.module_from_spec(s)
        s.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    return getattr(module, attr)


spec, seed, io, repeat = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.manual_seed(seed)
model = load(spec)().eval()
os.makedirs(os.path.join(io, "weights"), exist_ok=True)
for name, value in model.state_dict().items():
    np.save(os.path.join(io, "weights", name + ".npy"), value.detach().cpu().numpy())
model = model.cuda()
inputs = [torch.from_numpy(np.load(f)).cuda()
          for f in sorted(glob.glob(os.path.join(io, "input*.npy")))]
with torch.no_grad():
    out = model(*inputs)
    torch.cuda.synchronize()
    np.save(os.path.join(io, "torch_gpu_output0.npy"), out.float().cpu().numpy())
    times = []
    for _ in range(repeat):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        model(*inputs)
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
print("%.4f" % statistics.median(times))
