"""Runs each fx.graph_module of an .mlir file with the reference interpreter and compiled
(fx-run --backend=cpu; --target gpu-emulated: the CUDA pipeline's kernels as host loops,
fx-run --backend=gpu-emulated; --target cuda: a library from fx-compile --target=cuda run by
fx-exec on host buffers and on device buffers) on the same generated inputs, and checks that the outputs agree. Prints one line per
module; exits 1 on a mismatch.

usage: check_compile.py TOOLS_DIR FILE.mlir WORKDIR [--rtol R] [--atol A] [--normalize]
                        [--target cpu|gpu-emulated|cuda]
"""
import argparse
import os
import re
import subprocess
import sys

parser = argparse.ArgumentParser()
parser.add_argument("tools")
parser.add_argument("file")
parser.add_argument("workdir")
parser.add_argument("--rtol", default="1e-4")
parser.add_argument("--atol", default="1e-5")
parser.add_argument("--target", default="cpu", choices=["cpu", "gpu-emulated", "cuda"])
parser.add_argument("--fake-driver", metavar="DIR",
                    help="cuda: run on the fake libcuda.so.1 in DIR (Inputs/fake_cuda.c), which "
                         "checks the library's use of the driver but runs no kernels: no "
                         "comparison, the check is a clean run with no device buffer left")
parser.add_argument("--gpu-target-threads", metavar="N",
                    help="gpu-emulated: fx-run --gpu-target-threads (small values make the "
                         "kernels split reductions and tile points)")
parser.add_argument("--normalize", action="store_true",
                    help="compare outputs scaled by the reference's largest magnitude")
args = parser.parse_args()

text = open(args.file).read()
failed = 0
for module in re.findall(r"^fx\.graph_module @(\w+)", text, re.M):
    body = text[text.index("fx.graph_module @" + module):]
    body = body[:body.index("\n}\n")]
    # Input specs as fx-run and fx-exec take them: "4x8xf32", and "f32" for a 0-d tensor.
    inputs = re.findall(r'fx\.placeholder "\w+" : tensor<([0-9x]*[a-z0-9]+)>', body)
    out = os.path.join(args.workdir, module)
    run = [os.path.join(args.tools, "fx-run"), args.file, "--graph-module", module, "--seed", "7"]
    for t in inputs:
        run += ["--input", t]
    ref = subprocess.run(run + ["--output-dir", out], capture_output=True, text=True)
    if ref.returncode != 0:
        print(f"{module}: interpreter failed\n{ref.stdout}{ref.stderr}")
        failed += 1
        continue
    refs = sorted((f for f in os.listdir(out) if f.endswith(".npy")),
                  key=lambda f: int(f[len("output"):-len(".npy")]))
    compare = []
    for f in refs:
        compare += ["--compare", os.path.join(out, f)]
    tolerances = ["--rtol", args.rtol, "--atol", args.atol] + (["--normalize"] if args.normalize else [])
    if args.target != "cuda":
        mapping = ["--gpu-target-threads", args.gpu_target_threads] if args.gpu_target_threads else []
        cpu = subprocess.run(run + ["--backend=" + args.target] + mapping + tolerances + compare,
                             capture_output=True, text=True)
    else:
        source = os.path.join(args.workdir, module + ".mlir")
        with open(source, "w") as f:
            f.write(body + "\n}\n")
        library = os.path.join(args.workdir, "lib" + module + ".so")
        cpu = subprocess.run([os.path.join(args.tools, "fx-compile"), "--target=cuda", source,
                              "-o", library], capture_output=True, text=True)
        if cpu.returncode == 0:
            exec_inputs = []
            for t in inputs:
                exec_inputs += ["--input", t]
            env = dict(os.environ)
            if args.fake_driver:
                env["LD_LIBRARY_PATH"] = args.fake_driver
                tolerances, compare = [], []
            # Through the host-buffer entry, then the device-buffer entry.
            for device in ([], ["--device-buffers"]):
                cpu = subprocess.run([os.path.join(args.tools, "fx-exec"), library, "--seed", "7"]
                                     + exec_inputs + tolerances + compare + device,
                                     capture_output=True, text=True, env=env)
                if args.fake_driver and "live device buffers 0," not in cpu.stderr:
                    cpu.returncode = cpu.returncode or 1
                if cpu.returncode != 0:
                    break
    if cpu.returncode != 0:
        print(f"{module}: MISMATCH or failure\n{cpu.stdout}{cpu.stderr}")
        failed += 1
    elif args.fake_driver:
        print(f"{module}: ran on the fake driver")
    else:
        print(f"{module}: {len(refs)} outputs ok")
sys.exit(1 if failed else 0)
