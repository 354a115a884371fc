//===- fx-trace.cpp - Trace a C++ model into the fx dialect ----------------===//
//
//   fx-trace MODEL [--input 1x3x224x224xf32]... [-o out.mlir|out.mlirbc] [--seed N]
//            [--load-models libmine.so]... [--no-weights] [--list]
//
// Traces a registered model (the zoo, or models registered with FX_REGISTER_MODEL in a shared
// library given to --load-models) with fx::symbolicTrace.
//
//===----------------------------------------------------------------------===//
#include "ExitOnFatalError.h"
#include "ToolSupport.h"
#include "fxmlir/Frontend/Tracer.h"
#include "fxmlir/Frontend/Zoo.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>

using Clock = mlir::fx::tools::Clock;
namespace cl = llvm::cl;

static cl::OptionCategory modelCategory("Model");
static cl::OptionCategory tracingCategory("Tracing");
static cl::OptionCategory outputCategory("Output");

static cl::opt<std::string> modelName(cl::Positional, cl::desc("<model>"), cl::cat(modelCategory));
static cl::list<std::string> loadModels("load-models",
                                        cl::desc("shared library registering more models"),
                                        cl::cat(modelCategory));
static cl::opt<bool> list("list", cl::desc("list the registered models"), cl::cat(modelCategory));
static cl::list<std::string> inputs("input", cl::desc("placeholder type, e.g. 1x3x224x224xf32"),
                                    cl::cat(tracingCategory));
static cl::opt<unsigned> seed("seed", cl::desc("seed of the parameter initialisation"), cl::init(0),
                              cl::cat(tracingCategory));
static cl::opt<bool> noWeights("no-weights", cl::desc("declare parameters without values"),
                               cl::cat(tracingCategory));
static cl::opt<unsigned> repeat("repeat", cl::desc("trace N times and report the fastest"),
                                cl::init(1), cl::cat(tracingCategory));
static cl::opt<std::string> output("o", cl::desc("output file (.mlirbc for bytecode)"),
                                   cl::init("-"), cl::cat(outputCategory));

static int fail(const llvm::Twine &msg) { return mlir::fx::tools::reportError("fx-trace", msg); }
static double millis(Clock::time_point start, Clock::time_point end) {
  return mlir::fx::tools::millisBetween(start, end);
}

/// --load-models: the libraries' static initialisers register their models. False after an
/// error.
static bool loadModelLibraries() {
  for (const std::string &lib : loadModels) {
    std::string error;
    if (llvm::sys::DynamicLibrary::LoadLibraryPermanently(lib.c_str(), &error)) {
      fail("cannot load '" + lib + "': " + error);
      return false;
    }
  }
  return true;
}

/// The factory of the model named on the command line; null after an error.
static const fx::ModelFactory *findModel() {
  if (modelName.empty()) {
    fail("no model given (--list shows the registered ones)");
    return nullptr;
  }
  auto &models = fx::modelRegistry();
  auto it = models.find(modelName);
  if (it != models.end())
    return &it->second;
  std::string known;
  for (auto &[name, factory] : models)
    known += (known.empty() ? "" : ", ") + name;
  fail("no model named '" + modelName + "' (registered: " + known + ")");
  return nullptr;
}

/// The options of the trace: --input's types (`1x3x224x224xf32` or `tensor<...>`) and
/// --no-weights. False after an error.
static bool getTraceOptions(mlir::MLIRContext &context, fx::TraceOptions &options) {
  options.withWeights = !noWeights;
  for (const std::string &spec : inputs) {
    std::string text = llvm::StringRef(spec).starts_with("tensor<") ? spec : "tensor<" + spec + ">";
    mlir::Type type = mlir::parseType(text, &context);
    if (!type) {
      fail("bad --input '" + spec + "': expected a type like 1x3x224x224xf32");
      return false;
    }
    options.inputTypes.push_back(type);
  }
  return true;
}

/// Builds the model and traces it --repeat times, printing the build and trace times. Throws
/// fx::TraceError.
static mlir::OwningOpRef<mlir::ModuleOp> traceModel(mlir::MLIRContext &context,
                                                    const fx::ModelFactory &factory,
                                                    const fx::TraceOptions &options) {
  auto start = Clock::now();
  fx::manualSeed(seed);
  std::shared_ptr<fx::Module> model = factory();
  auto built = Clock::now();
  // The first trace in a context also builds the modules' hyper-parameter attributes, which
  // later traces reuse; both times are reported.
  mlir::OwningOpRef<mlir::ModuleOp> module;
  double first = 0, best = 1e30;
  for (unsigned i = 0; i < std::max(1u, repeat.getValue()); ++i) {
    auto s = Clock::now();
    module = fx::symbolicTrace(&context, *model, options);
    double t = millis(s, Clock::now());
    first = i == 0 ? t : first;
    best = std::min(best, t);
  }
  llvm::errs() << "traced " << modelName << ": build " << llvm::format("%.1f", millis(start, built))
               << " ms, trace " << llvm::format("%.3f", best) << " ms";
  if (repeat > 1)
    llvm::errs() << " (fastest of " << repeat << "; first " << llvm::format("%.3f", first)
                 << " ms)";
  llvm::errs() << "\n";
  return module;
}

/// Writes `module` to -o: bytecode for .mlirbc, text otherwise. The exit code.
static int writeModule(mlir::ModuleOp module) {
  std::string error;
  auto file = mlir::openOutputFile(output, &error);
  if (!file)
    return fail(error);
  if (llvm::StringRef(output).ends_with(".mlirbc")) {
    if (mlir::failed(mlir::writeBytecodeToFile(module, file->os())))
      return fail("cannot write bytecode");
  } else {
    module.print(file->os());
  }
  file->keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::fx::tools::exitOnFatalError("fx-trace");
  cl::HideUnrelatedOptions({&modelCategory, &tracingCategory, &outputCategory});
  cl::ParseCommandLineOptions(argc, argv, "FX-MLIR tracer: C++ models to the fx dialect\n");
  if (!loadModelLibraries())
    return 1;
  if (list) {
    for (auto &[name, factory] : fx::modelRegistry())
      llvm::outs() << name << "\n";
    return 0;
  }
  const fx::ModelFactory *factory = findModel();
  if (!factory)
    return 1;

  // Tracing is single-threaded: without threading, attribute uniquing takes no locks.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<mlir::fx::FXDialect>();
  fx::TraceOptions options;
  if (!getTraceOptions(context, options))
    return 1;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  try {
    module = traceModel(context, *factory, options);
  } catch (const fx::TraceError &e) {
    return fail(llvm::Twine("tracing ") + modelName + " failed: " + e.what());
  }
  if (mlir::failed(mlir::verify(*module)))
    return fail("the traced graph does not verify (see the diagnostics above)");
  return writeModule(*module);
}
