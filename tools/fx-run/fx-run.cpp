//===- fx-run.cpp - Run an fx graph module ---------------------------------===//
//
//   fx-run MODEL.mlir [--backend=interp|cpu] [--input a.npy | --input 1x3x224x224xf32]...
//          [--seed N] [--repeat N] [--output-dir D] [--compare ref0.npy]... [--rtol R] [--atol A]
//   fx-run libmodel.so [--input ...]... (the same options; a library from fx-compile)
//
// Runs the forward graph of the (first, or --graph-module) fx.graph_module and prints one line
// per output; --compare checks each output against a reference and exits 1 on a mismatch.
// --backend=interp runs the reference interpreter; --backend=cpu JIT-compiles the graph
// (fx-lower-to-cpu) and prints compile and run times apart.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Compiler/Compiler.h"
#include "fxmlir/Interpreter/Interpreter.h"
#include "fxmlir/Runtime/Entry.h"
#include "fxmlir/Runtime/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <malloc.h>
#include <cmath>
#include <random>
#include <regex>

using namespace mlir;
using fxmlir::DType;
using fxmlir::PyValue;
using fxmlir::Tensor;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"), cl::Required);
static cl::opt<std::string> backend("backend",
                                    cl::desc("interp (the reference interpreter) or cpu (JIT)"),
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

/// `1x3x224x224xf32`: standard normal floats, integers uniform in [0, 100).
static Tensor generateInput(const std::string &spec, std::mt19937_64 &rng) {
  static const std::regex pattern("((?:[0-9]+x)*)(f16|bf16|f32|f64|i1|i8|i16|i32|i64|ui8)");
  std::smatch m;
  if (!std::regex_match(spec, m, pattern))
    throw fxmlir::OpError("bad --input '" + spec +
                          "': expected a .npy file or a type like 1x3x224x224xf32");
  fxmlir::Shape shape;
  std::string dims = m[1];
  for (size_t p = 0; p < dims.size();) {
    size_t x = dims.find('x', p);
    shape.push_back(std::stoll(dims.substr(p, x - p)));
    p = x + 1;
  }
  static const std::map<std::string, DType> types = {
      {"f16", DType::F16}, {"bf16", DType::BF16}, {"f32", DType::F32}, {"f64", DType::F64},
      {"i1", DType::Bool}, {"i8", DType::I8},     {"i16", DType::I16}, {"i32", DType::I32},
      {"i64", DType::I64}, {"ui8", DType::U8}};
  DType dtype = types.at(m[2]);
  Tensor t(shape, dtype);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> uniform(0, dtype == DType::Bool ? 1 : 99);
  for (int64_t i = 0; i < t.numel(); ++i)
    t[i] = fxmlir::isFloating(dtype) ? normal(rng) : uniform(rng);
  return t.round();
}

static std::string summary(const Tensor &t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "tensor<";
  for (int64_t d : t.shape())
    os << d << "x";
  os << fxmlir::dtypeName(t.dtype()) << "> [";
  for (int64_t i = 0; i < std::min<int64_t>(t.numel(), 5); ++i)
    os << (i ? ", " : "") << llvm::format("%.6g", t[i]);
  if (t.numel() > 5)
    os << ", ...";
  os << "]";
  return s;
}

static int reportOutputs(const std::vector<Tensor> &outputs);

static double milliseconds(double seconds) { return seconds * 1e3; }

/// "run 1.2 ms" or, for repeated runs, "run min 1.1 ms, median 1.2 ms (N runs)".
static std::string runTimes(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  std::string s;
  llvm::raw_string_ostream os(s);
  if (seconds.size() == 1)
    os << "run " << llvm::format("%.3f", milliseconds(seconds[0])) << " ms";
  else
    os << "run min " << llvm::format("%.3f", milliseconds(seconds.front())) << " ms, median "
       << llvm::format("%.3f", milliseconds(seconds[seconds.size() / 2])) << " ms ("
       << seconds.size() << " runs)";
  return s;
}

static std::vector<PyValue> readInputs() {
  std::vector<PyValue> args;
  std::mt19937_64 rng(seed);
  for (const std::string &spec : inputs)
    args.push_back(llvm::StringRef(spec).ends_with(".npy") ? fxmlir::readNpy(spec)
                                                            : generateInput(spec, rng));
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
  void *handle = dlopen(inputFile.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return fail(llvm::Twine("cannot load '") + inputFile + "': " + dlerror());
  auto *entries = (const char *)dlsym(handle, "fx_entries");
  if (!entries)
    return fail("'" + inputFile + "' is not a library from fx-compile (no fx_entries)");
  std::string name = llvm::StringRef(entries).split(',').first.str();
  auto *signature = (const char *)dlsym(handle, (name + "_signature").c_str());
  auto entry = (fxmlir::PackedEntry)dlsym(handle, (name + "_packed").c_str());
  if (!signature || !entry)
    return fail("'" + inputFile + "' lacks " + name + "_signature or " + name + "_packed");
  std::vector<double> seconds;
  outputs = fxmlir::callEntry(entry, fxmlir::EntrySignature::parse(signature),
                              tensorsOf(readInputs()), repeat, seconds);
  llvm::outs() << "library " << name << ": " << runTimes(seconds) << "\n";
  return 0;
}

/// Compiled graphs malloc and free their intermediate buffers on every call. glibc serves
/// blocks above 128 KiB with fresh mmaps and returns them on free, so every call would fault
/// its pages in again (4x slower on resnet18 here): keep freed memory in the heap instead.
static void keepFreedMemory() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  keepFreedMemory();
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
  if (backend != "interp" && backend != "cpu")
    return fail("unknown backend '" + backend + "'; use interp (the reference interpreter) or "
                "cpu (JIT-compiled for this machine)");

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
                 << runTimes(seconds) << "\n";
    return reportOutputs(outputs);
  }

  // cpu: lower only the chosen graph module, JIT it, call its entry.
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
  FailureOr<std::vector<fx::CompiledEntry>> entries = fx::lowerToLLVMDialect(*module, options);
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
  llvm::outs() << "backend cpu: load " << llvm::format("%.1f", ms(t0, t1)) << " ms, lower "
               << llvm::format("%.1f", ms(t1, t2)) << " ms, compile "
               << llvm::format("%.1f", ms(t2, t3)) << " ms, " << runTimes(seconds) << "\n";
  return reportOutputs(outputs);
}

/// Prints each output, writes --output-dir, checks --compare; the exit code.
static int reportOutputs(const std::vector<Tensor> &outputs) {
  if (!compare.empty() && compare.size() != outputs.size())
    return fail(llvm::Twine(compare.size()) + " --compare files for " +
                llvm::Twine(outputs.size()) + " outputs");
  bool mismatch = false;
  if (!outputDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create '" + outputDir + "': " + ec.message());
  try {
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Tensor &out = outputs[i];
      llvm::outs() << "output" << i << ": " << summary(out) << "\n";
      if (!outputDir.empty()) {
        llvm::SmallString<128> path(outputDir);
        llvm::sys::path::append(path, "output" + std::to_string(i) + ".npy");
        fxmlir::writeNpy(path.str().str(), out);
      }
      if (compare.empty())
        continue;
      Tensor ref = fxmlir::readNpy(compare[i]);
      if (ref.numel() != out.numel() ||
          (ref.shape() != out.shape() && !(ref.numel() == 1 && out.numel() == 1))) {
        llvm::outs() << "  MISMATCH: shape " << fxmlir::shapeToString(out.shape())
                     << " vs reference " << fxmlir::shapeToString(ref.shape()) << "\n";
        mismatch = true;
        continue;
      }
      double maxAbs = 0, maxRel = 0, scale = 1;
      if (normalize) {
        double largest = 0;
        for (int64_t k = 0; k < ref.numel(); ++k)
          if (std::isfinite(ref[k]))
            largest = std::max(largest, std::fabs(ref[k]));
        scale = largest > 0 ? largest : 1;
      }
      int64_t bad = 0;
      for (int64_t k = 0; k < out.numel(); ++k) {
        double a = out[k] / scale, b = ref[k] / scale;
        if (std::isnan(a) && std::isnan(b))
          continue;
        double err = a == b ? 0.0 : std::fabs(a - b); // a == b covers equal infinities
        maxAbs = std::max(maxAbs, err);
        if (b != 0)
          maxRel = std::max(maxRel, err / std::fabs(b));
        if (!(err <= absTol + relTol * std::fabs(b)))
          ++bad;
      }
      llvm::outs() << "  vs " << compare[i] << ": max abs error "
                   << llvm::format("%.3g", maxAbs) << ", max rel error "
                   << llvm::format("%.3g", maxRel)
                   << (normalize ? " (normalized by " + llvm::formatv("{0:g}", scale).str() + ")"
                                 : std::string())
                   << (bad ? ", MISMATCH in " : ", ok");
      if (bad)
        llvm::outs() << bad << " of " << out.numel() << " elements (rtol "
                     << llvm::format("%g", relTol.getValue())
                     << ", atol " << llvm::format("%g", absTol.getValue()) << ")";
      llvm::outs() << "\n";
      mismatch |= bad > 0;
    }
  } catch (const fxmlir::OpError &e) {
    return fail(e.what());
  }
  return mismatch ? 1 : 0;
}
