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
#include "CompileOptions.h"
#include "ExitOnFatalError.h"
#include "ToolSupport.h"

#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Codegen/Driver/Compiler.h"
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Interpreter/Interpreter.h"
#include "fxmlir/Runtime/Entry.h"
#include "fxmlir/Runtime/PyValue.h"
#include "fxmlir/Runtime/Runner.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

using namespace mlir;
using fxmlir::PyValue;
using fxmlir::Tensor;
using Clock = mlir::fx::tools::Clock;
namespace cl = llvm::cl;

static cl::OptionCategory inputCategory("Input");
static cl::OptionCategory backendCategory("Backend");
static cl::OptionCategory outputCategory("Output");
static cl::OptionCategory checkingCategory("Checking");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir | library.so>"),
                                      cl::Required, cl::cat(inputCategory));
static cl::list<std::string> inputs("input",
                                    cl::desc("an input: a .npy file or a type such as "
                                             "1x3x224x224xf32 (generated); one per placeholder"),
                                    cl::cat(inputCategory));
static cl::opt<unsigned> seed("seed", cl::desc("seed for generated inputs"), cl::init(0),
                              cl::cat(inputCategory));
static cl::opt<std::string> graphModule("graph-module",
                                        cl::desc("which fx.graph_module to run (default: first)"),
                                        cl::cat(inputCategory));
static cl::opt<std::string> backend("backend",
                                    cl::desc("interp (the reference interpreter), cpu (JIT) or "
                                             "gpu-emulated (the CUDA kernels as host loops, JIT)"),
                                    cl::init("interp"), cl::cat(backendCategory));
static cl::opt<unsigned> repeat("repeat", cl::desc("run N times; print min and median run time"),
                                cl::init(1), cl::cat(backendCategory));
static cl::opt<std::string> outputDir("output-dir", cl::desc("write output0.npy, ... here"),
                                      cl::cat(outputCategory));
static cl::list<std::string> compare("compare", cl::desc("reference .npy, one per output"),
                                     cl::cat(checkingCategory));
static cl::opt<double> relTol("rtol", cl::desc("relative tolerance of --compare (integer outputs: exact unless a tolerance is given)"), cl::init(1e-4),
                              cl::cat(checkingCategory));
static cl::opt<double> absTol("atol", cl::desc("absolute tolerance of --compare"), cl::init(1e-5),
                              cl::cat(checkingCategory));
static cl::opt<bool> normalize(
    "normalize",
    cl::desc("--compare on outputs divided by the reference's largest magnitude "
             "(tolerances relative to the output's scale)"),
    cl::cat(checkingCategory));

static int fail(const llvm::Twine &msg) { return mlir::fx::tools::reportError("fx-run", msg); }
static double millis(Clock::time_point start, Clock::time_point end) {
  return mlir::fx::tools::millisBetween(start, end);
}

/// The --input tensors of the graph inputs called `names`. Throws OpError.
static std::vector<PyValue> readInputs(const std::vector<std::string> &names) {
  std::vector<Tensor> tensors = fxmlir::loadInputs(inputs, seed, names);
  return std::vector<PyValue>(tensors.begin(), tensors.end());
}

static std::vector<Tensor> tensorsOf(ArrayRef<PyValue> args) {
  std::vector<Tensor> tensors;
  for (const PyValue &a : args) {
    if (!a.isTensor())
      throw fxmlir::OpError("compiled graphs take tensors only");
    tensors.push_back(a.tensor());
  }
  return tensors;
}

/// Prints each output, writes --output-dir, checks --compare; the exit code.
static int reportOutputs(const std::vector<Tensor> &outputs) {
  fxmlir::ReportOptions options;
  options.compare.assign(compare.begin(), compare.end());
  options.outputDir = outputDir;
  options.rtol = relTol;
  options.atol = absTol;
  options.toleranceGiven = relTol.getNumOccurrences() || absTol.getNumOccurrences();
  options.normalize = normalize;
  llvm::outs().flush();
  return fxmlir::reportOutputs(outputs, options, std::cout, std::cerr, "fx-run");
}

/// Runs the first graph of a shared library from fx-compile.
static int runLibrary() {
  std::vector<Tensor> outputs;
  try {
    fxmlir::CompiledLibrary lib = fxmlir::CompiledLibrary::open(inputFile);
    std::vector<double> seconds;
    std::vector<std::string> names;
    for (const fxmlir::TensorSpec &input : lib.signature.inputs)
      names.push_back(input.name);
    outputs =
        fxmlir::callEntry(lib.entry, lib.signature, tensorsOf(readInputs(names)), repeat, seconds);
    llvm::outs() << "library " << lib.name << ": " << fxmlir::describeRunTimes(seconds) << "\n";
  } catch (const fxmlir::OpError &e) {
    return fail(e.what());
  }
  return reportOutputs(outputs);
}

/// The graph module to run: --graph-module, or the first; null after an error.
static fx::GraphModuleOp findGraphModule(ModuleOp module) {
  for (auto gm : module.getBody()->getOps<fx::GraphModuleOp>())
    if (graphModule.empty() || gm.getSymName() == graphModule)
      return gm;
  fail(graphModule.empty() ? "no fx.graph_module in '" + inputFile + "'"
                           : "no fx.graph_module @" + graphModule);
  return nullptr;
}

/// Rewrites the in-place updates of every graph of `gm` into functional calls
/// (fx-functionalize), as the compiled backends' pipeline does first: the interpreter's kernels
/// compute values and never update their arguments.
static LogicalResult functionalize(fx::GraphModuleOp gm) {
  SmallVector<fx::GraphOp> graphs;
  gm.walk([&](fx::GraphOp graph) { graphs.push_back(graph); });
  PassManager pm(gm.getContext(), fx::GraphOp::getOperationName());
  pm.addPass(fx::createFxFunctionalize());
  for (fx::GraphOp graph : graphs)
    if (failed(pm.run(graph)))
      return failure();
  return success();
}

/// The interp backend: runs `gm` with the reference interpreter --repeat times.
static int interpret(fx::GraphModuleOp gm, ArrayRef<PyValue> args, double loadMs) {
  if (failed(functionalize(gm)))
    return 1;
  std::vector<double> seconds;
  FailureOr<PyValue> result;
  for (unsigned r = 0; r < std::max(1u, repeat.getValue()); ++r) {
    auto start = Clock::now();
    result = fx::interpretGraphModule(gm, args);
    if (failed(result))
      return 1;
    seconds.push_back(millis(start, Clock::now()) / 1e3);
  }
  llvm::outs() << "backend interp: load " << llvm::format("%.1f", loadMs) << " ms, "
               << fxmlir::describeRunTimes(seconds) << "\n";
  return reportOutputs(fxmlir::flattenTensors(*result));
}

/// Lowers `gm` alone (the other graph modules are erased), its placeholders typed as `args`;
/// its entry.
static FailureOr<fx::CompiledEntry> lowerGraphModule(ModuleOp module, fx::GraphModuleOp gm,
                                                     ArrayRef<PyValue> args) {
  for (auto other : llvm::make_early_inc_range(module.getBody()->getOps<fx::GraphModuleOp>()))
    if (other != gm)
      other.erase();
  if (!args.empty()) {
    SmallVector<Type> types;
    for (const PyValue &a : args)
      types.push_back(fx::typeOfPyValue(module.getContext(), a));
    if (failed(fx::setInputTypes(gm, types)))
      return failure();
  }
  FailureOr<std::vector<fx::CompiledEntry>> entries = fx::tools::LoweringPipeline(backend).lower(module);
  if (failed(entries))
    return failure();
  return entries->front();
}

/// The cpu and gpu-emulated backends: lowers `gm`, JIT-compiles it and calls its entry
/// --repeat times.
static int compileAndRun(ModuleOp module, fx::GraphModuleOp gm, ArrayRef<PyValue> args,
                         double loadMs) {
  auto start = Clock::now();
  FailureOr<fx::CompiledEntry> entry = lowerGraphModule(module, gm, args);
  if (failed(entry))
    return 1;
  auto lowered = Clock::now();
  auto engine = fx::createJit(module, fx::tools::getOptLevel());
  if (!engine)
    return fail("JIT compilation failed: " + llvm::toString(engine.takeError()));
  auto packed = (*engine)->lookup(entry->name + "_packed");
  if (!packed)
    return fail("JIT: " + llvm::toString(packed.takeError()));
  auto compiled = Clock::now();
  std::vector<Tensor> outputs;
  std::vector<double> seconds;
  try {
    outputs = fxmlir::callEntry((fxmlir::PackedEntry)*packed,
                                fxmlir::EntrySignature::parse(entry->signature), tensorsOf(args),
                                repeat, seconds);
  } catch (const fxmlir::OpError &e) {
    return fail(e.what());
  }
  llvm::outs() << "backend " << backend << ": load " << llvm::format("%.1f", loadMs)
               << " ms, lower " << llvm::format("%.1f", millis(start, lowered))
               << " ms, compile " << llvm::format("%.1f", millis(lowered, compiled)) << " ms, "
               << fxmlir::describeRunTimes(seconds) << "\n";
  return reportOutputs(outputs);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  fx::tools::exitOnFatalError("fx-run");
  fxmlir::keepFreedMemory();
  cl::HideUnrelatedOptions({&inputCategory, &backendCategory, &fx::tools::getCompilationCategory(),
                            &outputCategory, &checkingCategory});
  cl::ParseCommandLineOptions(argc, argv, "FX-MLIR runner: execute an fx graph module\n");
  if (llvm::StringRef(inputFile).ends_with(".so"))
    return runLibrary();
  if (backend != "interp" && backend != "cpu" && backend != "gpu-emulated")
    return fail("unknown backend '" + backend + "'; use interp (the reference interpreter), "
                "cpu (JIT-compiled for this machine) or gpu-emulated (the CUDA pipeline's "
                "kernels run as host loops)");

  fx::CompilerSession session;
  auto start = Clock::now();
  OwningOpRef<ModuleOp> module = session.parse(inputFile);
  if (!module)
    return 1;
  fx::GraphModuleOp gm = findGraphModule(*module);
  if (!gm)
    return 1;
  std::vector<std::string> names;
  if (fx::GraphOp graph = gm.getForward())
    for (fx::PlaceholderOp placeholder : fx::getPlaceholders(graph))
      names.push_back(placeholder.getTarget().str());
  std::vector<PyValue> args;
  try {
    args = readInputs(names);
  } catch (const fxmlir::OpError &e) {
    return fail(e.what());
  }
  double loadMs = millis(start, Clock::now());
  return backend == "interp" ? interpret(gm, args, loadMs)
                             : compileAndRun(*module, gm, args, loadMs);
}
