//===- fx-run.cpp - Run an fx graph module ---------------------------------===//
//
//   fx-run MODEL.mlir [--backend=interp|cpu|gpu-emulated] [--input a.npy | --input 1x3x224x224xf32]...
//          [--seed N] [--repeat N] [--output-dir D] [--compare ref0.npy]... [--rtol R] [--atol A]
//   fx-run libmodel.so [--input ...]... (the same options; a library from fx-compile)
//
// Runs the forward graph of the (first, or --graph-module) fx.graph_module and prints one line
// per output; --compare checks each output against a reference and exits 1 on a mismatch.
// --backend=interp runs the reference interpreter; --backend=cpu JIT-compiles the graph
// (fx-lower-to-cpu) and prints compile and run times apart; --backend=gpu-emulated JIT-compiles
// the CUDA pipeline's kernels as host loops (fx-lower-to-cuda{emulate-on-host}), to check the GPU
// mapping on machines without a GPU.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Compiler/Compiler.h"
#include "fxmlir/Interpreter/Interpreter.h"
#include "fxmlir/Runtime/Entry.h"
#include "fxmlir/Runtime/Runner.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

using namespace mlir;
using fxmlir::DType;
using fxmlir::PyValue;
using fxmlir::Tensor;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"), cl::Required);
static cl::opt<std::string> backend("backend",
                                    cl::desc("interp (the reference interpreter), cpu (JIT) or "
                                             "gpu-emulated (the CUDA kernels as host loops, JIT)"),
                                    cl::init("interp"));
static cl::list<std::string> inputs("input",
                                    cl::desc("an input: a .npy file or a type such as "
                                             "1x3x224x224xf32 (generated); one per placeholder"));
static cl::opt<unsigned> seed("seed", cl::desc("seed for generated inputs"), cl::init(0));
static cl::opt<unsigned> repeat("repeat", cl::desc("run N times; print min and median run time"),
                                cl::init(1));
static cl::opt<unsigned> optLevel("O", cl::desc("cpu: LLVM optimization level (0-3, default 2)"),
                                  cl::Prefix, cl::init(mlir::fx::kDefaultOptLevel));
static cl::opt<bool> noVectorize("no-vectorize",
                                 cl::desc("cpu: skip the tiled and vectorized stage"));
static cl::opt<int64_t> gpuTargetThreads(
    "gpu-target-threads",
    cl::desc("gpu-emulated: threads a reduction kernel aims for (fx-linalg-to-gpu's "
             "target-threads; small values make small ops split and tile)"),
    cl::init(mlir::fx::kGpuTargetThreads));
static cl::opt<std::string> outputDir("output-dir", cl::desc("write output0.npy, ... here"));
static cl::list<std::string> compare("compare", cl::desc("reference .npy, one per output"));
static cl::opt<double> relTol("rtol", cl::desc("relative tolerance of --compare"), cl::init(1e-4));
static cl::opt<double> absTol("atol", cl::desc("absolute tolerance of --compare"), cl::init(1e-5));
static cl::opt<bool> normalize(
    "normalize", cl::desc("--compare on outputs divided by the reference's largest magnitude "
                          "(tolerances relative to the output's scale)"));
static cl::opt<std::string> graphModule("graph-module",
                                        cl::desc("which fx.graph_module to run (default: first)"));

static int fail(const llvm::Twine &msg) {
  llvm::errs() << "fx-run: error: " << msg << "\n";
  return 1;
}

static int reportOutputs(const std::vector<Tensor> &outputs);

static std::vector<PyValue> readInputs() {
  std::vector<PyValue> args;
  std::mt19937_64 rng(seed);
  for (const std::string &spec : inputs)
    args.push_back(fxmlir::loadOrGenerateInput(spec, rng));
  return args;
}

static std::vector<Tensor> tensorsOf(const std::vector<PyValue> &args) {
  std::vector<Tensor> tensors;
  for (const PyValue &a : args) {
    if (!a.isTensor())
      throw fxmlir::OpError("compiled graphs take tensors only");
    tensors.push_back(a.tensor());
  }
  return tensors;
}

/// Runs the first graph of a shared library from fx-compile.
static int runLibrary(std::vector<Tensor> &outputs) {
  fxmlir::CompiledLibrary lib = fxmlir::CompiledLibrary::open(inputFile);
  std::vector<double> seconds;
  outputs = fxmlir::callEntry(lib.entry, lib.signature, tensorsOf(readInputs()), repeat, seconds);
  llvm::outs() << "library " << lib.name << ": " << fxmlir::describeRunTimes(seconds) << "\n";
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  fxmlir::keepFreedMemory();
  cl::ParseCommandLineOptions(argc, argv, "FX-MLIR runner: execute an fx graph module\n");
  std::vector<Tensor> outputs;
  if (llvm::StringRef(inputFile).ends_with(".so")) {
    try {
      if (int rc = runLibrary(outputs))
        return rc;
    } catch (const fxmlir::OpError &e) {
      return fail(e.what());
    }
    return reportOutputs(outputs);
  }
  if (backend != "interp" && backend != "cpu" && backend != "gpu-emulated")
    return fail("unknown backend '" + backend + "'; use interp (the reference interpreter), "
                "cpu (JIT-compiled for this machine) or gpu-emulated (the CUDA pipeline's "
                "kernels run as host loops)");

  fx::CompilerSession session;
  MLIRContext &context = session.getContext();
  auto t0 = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module = session.parse(inputFile);
  if (!module)
    return 1;
  fx::GraphModuleOp gm;
  for (auto candidate : module->getBody()->getOps<fx::GraphModuleOp>())
    if (graphModule.empty() || candidate.getSymName() == graphModule) {
      gm = candidate;
      break;
    }
  if (!gm)
    return fail(graphModule.empty() ? "no fx.graph_module in '" + inputFile + "'"
                                    : "no fx.graph_module @" + graphModule);

  std::vector<PyValue> args;
  try {
    args = readInputs();
  } catch (const fxmlir::OpError &e) {
    return fail(e.what());
  }
  auto t1 = std::chrono::steady_clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  if (backend == "interp") {
    std::vector<double> seconds;
    FailureOr<PyValue> result;
    for (unsigned r = 0; r < std::max(1u, repeat.getValue()); ++r) {
      auto start = std::chrono::steady_clock::now();
      result = fx::interpretGraphModule(gm, args);
      if (failed(result))
        return 1;
      seconds.push_back(ms(start, std::chrono::steady_clock::now()) / 1e3);
    }
    outputs = fx::flattenTensors(*result);
    llvm::outs() << "backend interp: load " << llvm::format("%.1f", ms(t0, t1)) << " ms, "
                 << fxmlir::describeRunTimes(seconds) << "\n";
    return reportOutputs(outputs);
  }

  // cpu, gpu-emulated: lower only the chosen graph module, JIT it, call its entry.
  for (auto other : llvm::make_early_inc_range(module->getBody()->getOps<fx::GraphModuleOp>()))
    if (other != gm)
      other.erase();
  if (!args.empty()) {
    SmallVector<Type> types;
    for (const PyValue &a : args)
      types.push_back(fx::typeOfPyValue(&context, a));
    if (failed(fx::setInputTypes(gm, types)))
      return 1;
  }
  fx::LowerToCpuOptions options;
  options.vectorize = !noVectorize;
  fx::LowerToCudaOptions emulated;
  emulated.emulate = true;
  emulated.targetThreads = gpuTargetThreads;
  FailureOr<std::vector<fx::CompiledEntry>> entries =
      backend == "cpu" ? fx::lowerToLLVMDialect(*module, options)
                       : fx::lowerToLLVMDialect(*module, emulated);
  if (failed(entries))
    return 1;
  auto t2 = std::chrono::steady_clock::now();
  auto engine = fx::createJit(*module, optLevel);
  if (!engine)
    return fail("JIT compilation failed: " + llvm::toString(engine.takeError()));
  const fx::CompiledEntry &entry = entries->front();
  auto packed = (*engine)->lookup(entry.name + "_packed");
  if (!packed)
    return fail("JIT: " + llvm::toString(packed.takeError()));
  auto t3 = std::chrono::steady_clock::now();
  std::vector<double> seconds;
  try {
    outputs = fxmlir::callEntry((fxmlir::PackedEntry)*packed,
                                fxmlir::EntrySignature::parse(entry.signature), tensorsOf(args),
                                repeat, seconds);
  } catch (const fxmlir::OpError &e) {
    return fail(e.what());
  }
  llvm::outs() << "backend " << backend << ": load " << llvm::format("%.1f", ms(t0, t1)) << " ms, lower "
               << llvm::format("%.1f", ms(t1, t2)) << " ms, compile "
               << llvm::format("%.1f", ms(t2, t3)) << " ms, " << fxmlir::describeRunTimes(seconds) << "\n";
  return reportOutputs(outputs);
}

/// Prints each output, writes --output-dir, checks --compare; the exit code.
static int reportOutputs(const std::vector<Tensor> &outputs) {
  fxmlir::ReportOptions options;
  options.compare.assign(compare.begin(), compare.end());
  options.outputDir = outputDir;
  options.rtol = relTol;
  options.atol = absTol;
  options.normalize = normalize;
  llvm::outs().flush();
  return fxmlir::reportOutputs(outputs, options, std::cout, std::cerr, "fx-run");
}
