"""The Python API (fx_mlir.compile, fx_mlir.import_module) against PyTorch eager.

Run by ctest (test/CMakeLists.txt: python-api) with FX_MLIR_TOOLS set to the build's bin/;
by hand: FX_MLIR_TOOLS=build/bin PYTHONPATH=frontend/python \
    /usr/bin/python3 -m unittest discover -s test/Python -v
"""
import os
import subprocess
import sys
import tempfile
import time
import timeit
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "frontend", "python"))

try:
    import torch
    import torch.fx
except ImportError as e:  # reported as a skip, with the reason
    torch = None
    TORCH_MISSING = f"PyTorch is not available to {sys.executable}: {e}"

if torch is not None:
    import fx_mlir
    from fx_mlir import compare_outputs


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))


if torch is not None:
    class Structured(torch.nn.Module):
        """Returns a dict holding a tuple, a Python int, None and a bool tensor."""

        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(4, 3)

        def forward(self, x, y):
            a = self.linear(x)
            return {"a": a, "pair": (a.relu(), y * 2), "rows": x.shape[0], "none": None,
                    "positive": a.sum() > 0}

    class CountsCalls(torch.nn.Module):
        """Traced as x * 1; eager after that multiplies by 2, 3, ...: check=True must fail."""
        calls = 0

        def forward(self, x):
            self.calls += 1
            return x * self.calls

    class BoolMask(torch.nn.Module):
        """A result whose shape is known only at run time: fx-compile refuses it."""

        def forward(self, x):
            return x[x > 0]


def eager(model, *inputs):
    with torch.no_grad():
        return model.eval()(*[t.clone() for t in inputs])


def same_structure(a, b):
    """Same nesting, keys and leaf kinds (tensors vs Python values)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(
            same_structure(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(
            same_structure(x, y) for x, y in zip(a, b))
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor)
    return type(a) is type(b) and (a == b if not isinstance(a, float) else True)


@unittest.skipIf(torch is None, "" if torch is not None else TORCH_MISSING)
class CompileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._cache = tempfile.TemporaryDirectory(prefix="fx_mlir_test_cache_")
        cls.cache = cls._cache.name

    @classmethod
    def tearDownClass(cls):
        cls._cache.cleanup()

    def assertMatchesEager(self, actual, expected):
        self.assertTrue(same_structure(actual, expected), f"{actual!r} vs {expected!r}")
        self.assertEqual(compare_outputs(actual, expected), [])

    def test_mlp_matches_eager_and_numpy_inputs(self):
        model, x = mlp(), torch.randn(5, 8)
        compiled = fx_mlir.compile(model, (x,), cache_dir=self.cache, check=True)
        other = torch.randn(5, 8)
        self.assertMatchesEager(compiled(other), eager(model, other))
        self.assertMatchesEager(compiled(other.numpy()), eager(model, other))
        alone = fx_mlir.compile(model, x, cache_dir=self.cache)  # one tensor: one input
        self.assertTrue(alone.cache_hit)
        self.assertMatchesEager(alone(other), eager(model, other))
        transposed = torch.randn(8, 5).t()  # not contiguous: copied, same result
        self.assertMatchesEager(compiled(transposed), eager(model, transposed))

    def test_structured_outputs(self):
        model = Structured()
        x, y = torch.randn(2, 4), torch.randint(0, 5, (3,))
        compiled = fx_mlir.compile(model, (x, y), cache_dir=self.cache, check=True)
        result = compiled(x, y)
        self.assertMatchesEager(result, eager(model, x, y))
        self.assertIsInstance(result["rows"], int)
        self.assertEqual(result["positive"].dtype, torch.bool)

    def test_wrong_inputs_say_what_was_expected(self):
        model, x = mlp(), torch.randn(5, 8)
        compiled = fx_mlir.compile(model, (x,), cache_dir=self.cache)
        with self.assertRaisesRegex(ValueError, r"is \[4, 8\] float32; .* \[5, 8\] float32"):
            compiled(torch.randn(4, 8))
        with self.assertRaisesRegex(ValueError, r"float64; .* \[5, 8\] float32"):
            compiled(x.double())
        with self.assertRaisesRegex(ValueError, r"takes 1 inputs \(input_1: \[5, 8\] float32\)"):
            compiled(x, x)
        with self.assertRaisesRegex(ValueError, "must be a tensor"):
            compiled("x")

    def test_unknown_option_and_target(self):
        with self.assertRaisesRegex(TypeError, "unknown compile option"):
            fx_mlir.compile(mlp(), (torch.randn(1, 8),), cache_dir=self.cache, fast=True)
        with self.assertRaisesRegex(ValueError, "unknown target"):
            fx_mlir.compile(mlp(), (torch.randn(1, 8),), "tpu", cache_dir=self.cache)

    def test_model_modes_are_kept(self):
        model, x = mlp(), torch.randn(2, 8)
        model.train()
        fx_mlir.compile(model, (x,), cache_dir=self.cache, check=True)
        self.assertTrue(all(m.training for m in model.modules()))
        model.eval()
        fx_mlir.import_module(model, (x,)).compile(cache_dir=self.cache, check=True)
        self.assertFalse(any(m.training for m in model.modules()))

    def test_check_raises_on_mismatch(self):
        with self.assertRaisesRegex(fx_mlir.CheckError, "differs from PyTorch eager"):
            fx_mlir.compile(CountsCalls(), (torch.randn(3),), cache_dir=self.cache, check=True)

    def test_compiler_errors_carry_diagnostics(self):
        with self.assertRaises(fx_mlir.CompileError) as caught:
            fx_mlir.compile(BoolMask(), (torch.randn(6),), cache_dir=self.cache)
        self.assertIn("bool mask", caught.exception.diagnostics)
        self.assertIn("getitem", str(caught.exception))

    def test_weights_as_inputs_follow_the_model(self):
        model, x = mlp(), torch.randn(3, 8)
        compiled = fx_mlir.compile(model, (x,), cache_dir=self.cache, weights_as_inputs=True)
        self.assertIn("0.weight:f32[16,8]", compiled.signature)
        self.assertMatchesEager(compiled(x), eager(model, x))
        with torch.no_grad():
            model[0].weight.mul_(-2)  # updated in place: the next call sees it
        self.assertMatchesEager(compiled(x), eager(model, x))

    def test_cache_hit_in_this_and_another_process(self):
        with tempfile.TemporaryDirectory() as cache:
            model, x = mlp(), torch.randn(7, 8)
            start = time.perf_counter()
            first = fx_mlir.compile(model, (x,), cache_dir=cache)
            compiled_in = time.perf_counter() - start
            start = time.perf_counter()
            second = fx_mlir.compile(model, (x,), cache_dir=cache)
            cached_in = time.perf_counter() - start
            self.assertFalse(first.cache_hit)
            self.assertTrue(second.cache_hit)
            self.assertEqual(second.library_path, first.library_path)
            print(f"\n  MLP: compiled in {compiled_in * 1e3:.0f} ms, from the cache in "
                  f"{cached_in * 1e3:.0f} ms", file=sys.stderr)
            self.assertMatchesEager(second(x), eager(model, x))
            # Another process, same model and weights: no compilation.
            script = ("import sys; sys.path.insert(0, sys.argv[1]); "
                      "from test_api import mlp, torch, fx_mlir; "
                      "f = fx_mlir.compile(mlp(), (torch.randn(7, 8),), cache_dir=sys.argv[2]); "
                      "print(f.cache_hit)")
            here = os.path.dirname(os.path.abspath(__file__))
            out = subprocess.run([sys.executable, "-c", script, here, cache],
                                 capture_output=True, text=True, env=dict(os.environ))
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(out.stdout.strip(), "True")
            # Other weights: another library.
            other = mlp()
            with torch.no_grad():
                other[0].bias.add_(1)
            self.assertFalse(fx_mlir.compile(other, (x,), cache_dir=cache).cache_hit)

    def test_call_overhead(self):
        """The callable's cost over calling the library's entry directly (reported)."""
        import ctypes
        x = torch.randn(4)
        compiled = fx_mlir.compile(torch.nn.ReLU(), (x,), cache_dir=self.cache)
        out = torch.empty(4)
        buffers = (ctypes.c_void_p * 2)(x.data_ptr(), out.data_ptr())
        entry, n = compiled.library.entry, 20000
        raw = min(timeit.repeat(lambda: entry(buffers), number=n, repeat=3)) / n
        api = min(timeit.repeat(lambda: compiled(x), number=n, repeat=3)) / n
        print(f"\n  1-input call: library {raw * 1e6:.2f} us, callable {api * 1e6:.2f} us, "
              f"overhead {(api - raw) * 1e6:.2f} us", file=sys.stderr)
        self.assertTrue(torch.equal(out, torch.relu(x)))
        self.assertLess(api - raw, 100e-6)  # the goal is 20 us; loose on a busy machine

    def test_resnet18(self):
        try:
            import torchvision
        except ImportError:
            self.skipTest("torchvision is not installed")
        torch.manual_seed(0)
        model, x = torchvision.models.resnet18(), torch.randn(1, 3, 32, 32)
        start = time.perf_counter()
        compiled = fx_mlir.compile(model, (x,), cache_dir=self.cache)
        compiled_in = time.perf_counter() - start
        start = time.perf_counter()
        again = fx_mlir.compile(model, (x,), cache_dir=self.cache)
        cached_in = time.perf_counter() - start
        self.assertFalse(compiled.cache_hit)
        self.assertTrue(again.cache_hit)
        print(f"\n  resnet18: compiled in {compiled_in:.1f} s, from the cache in "
              f"{cached_in * 1e3:.0f} ms", file=sys.stderr)
        other = torch.randn(1, 3, 32, 32)
        self.assertMatchesEager(again(other), eager(model, other))


@unittest.skipIf(torch is None, "" if torch is not None else TORCH_MISSING)
class ImportModuleTest(unittest.TestCase):
    def setUp(self):
        self.model = Structured()
        self.inputs = (torch.randn(2, 4), torch.randint(0, 5, (3,)))
        self.module = fx_mlir.import_module(self.model, self.inputs)
        self.gm = torch.fx.symbolic_trace(self.model)

    def test_graph_text_and_code_are_torch_fx(self):
        self.assertEqual(self.module.graph_text().rstrip(), str(self.gm.graph).rstrip())
        self.assertEqual(self.module.code().strip(), self.gm.code.strip())

    def test_run_matches_eager_before_and_after_passes(self):
        expected = eager(self.model, *self.inputs)
        self.assertEqual(compare_outputs(self.module.run(), expected), [])
        decomposed = self.module.run_passes("fx-decompose-modules,fx-cse,fx-dce")
        self.assertIn("torch.nn.functional.linear", decomposed.graph_text())
        self.assertNotIn("call_module", decomposed.graph_text())
        result = decomposed.run(*self.inputs)
        self.assertTrue(same_structure(result, expected))
        self.assertEqual(compare_outputs(result, expected), [])
        with tempfile.TemporaryDirectory() as cache:
            compiled = decomposed.compile(cache_dir=cache, check=True)
            self.assertEqual(compare_outputs(compiled(*self.inputs), expected), [])

    def test_graph_module_input_and_save(self):
        module = fx_mlir.import_module(self.gm, self.inputs)
        with tempfile.TemporaryDirectory() as work:
            module.save(os.path.join(work, "m.mlirbc"))
            module.save(os.path.join(work, "m.mlir"))
            with open(os.path.join(work, "m.mlir")) as f:
                self.assertIn("fx.graph_module", f.read())
            with open(os.path.join(work, "m.mlirbc"), "rb") as f:
                self.assertEqual(f.read(4), b"ML\xefR")  # MLIR bytecode's magic

    def test_pass_errors_carry_diagnostics(self):
        with self.assertRaises(fx_mlir.ToolError) as caught:
            self.module.run_passes("fx-no-such-pass")
        self.assertIn("fx-no-such-pass", caught.exception.diagnostics)


if __name__ == "__main__":
    unittest.main()
