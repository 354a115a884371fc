"""PyTorch's side of the GPU check.

  gpu_eager.py save-weights SPEC OUT.pt SEED     (CPU machine) the model as the importer builds
                                                 it with --seed SEED, its state_dict saved
  gpu_eager.py run SPEC WEIGHTS.pt IO_DIR REPEAT (GPU machine) the model on cuda with those
                                                 weights on IO_DIR/input*.npy: writes
                                                 IO_DIR/torch_gpu_output0.npy and prints the
                                                 median time in ms (CUDA events, TF32 off)
SPEC is MODULE:CALLABLE as for fx-import-torch (a .py path or an importable module).
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


if sys.argv[1] == "save-weights":
    spec, out, seed = sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.manual_seed(seed)
    model = load(spec)().eval()
    torch.save(model.state_dict(), out)
else:
    spec, weights, io, repeat = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    model = load(spec)().eval()
    model.load_state_dict(torch.load(weights, map_location="cpu"))
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
