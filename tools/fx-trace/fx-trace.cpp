//===- fx-trace.cpp - Trace a C++ model into the fx dialect ----------------===//
//
//   fx-trace MODEL [--input 1x3x224x224xf32]... [-o out.mlir|out.mlirbc] [--seed N]
//            [--load-models libmine.so]... [--no-weights] [--list]
//
// Traces a registered model (the zoo, or models registered with FX_REGISTER_MODEL in a shared
// library given to --load-models) with fx::symbolicTrace.
//
//===----------------------------------------------------------------------===//
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

namespace cl = llvm::cl;

static cl::opt<std::string> modelName(cl::Positional, cl::desc("<model>"));
static cl::list<std::string> inputs("input", cl::desc("placeholder type, e.g. 1x3x224x224xf32"));
static cl::opt<std::string> output("o", cl::desc("output file (.mlirbc for bytecode)"),
                                   cl::init("-"));
static cl::opt<unsigned> seed("seed", cl::desc("seed of the parameter initialisation"),
                              cl::init(0));
static cl::list<std::string> loadModels("load-models",
                                        cl::desc("shared library registering more models"));
static cl::opt<bool> noWeights("no-weights", cl::desc("declare parameters without values"));
static cl::opt<bool> list("list", cl::desc("list the registered models"));
static cl::opt<unsigned> repeat("repeat", cl::desc("trace N times and report the fastest"),
                                cl::init(1));

static int fail(const llvm::Twine &msg) {
  llvm::errs() << "fx-trace: error: " << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "FX-MLIR tracer: C++ models to the fx dialect\n");
  for (const std::string &lib : loadModels) {
    std::string error;
    if (llvm::sys::DynamicLibrary::LoadLibraryPermanently(lib.c_str(), &error))
      return fail("cannot load '" + lib + "': " + error);
  }
  auto &models = fx::modelRegistry();
  if (list) {
    for (auto &[name, factory] : models)
      llvm::outs() << name << "\n";
    return 0;
  }
  if (modelName.empty())
    return fail("no model given (--list shows the registered ones)");
  auto it = models.find(modelName);
  if (it == models.end()) {
    std::string known;
    for (auto &[name, factory] : models)
      known += (known.empty() ? "" : ", ") + name;
    return fail("no model named '" + modelName + "' (registered: " + known + ")");
  }

  // Tracing is single-threaded: without threading, attribute uniquing takes no locks.
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<mlir::fx::FXDialect>();
  fx::TraceOptions options;
  options.withWeights = !noWeights;
  for (const std::string &spec : inputs) {
    std::string text = llvm::StringRef(spec).starts_with("tensor<") ? spec : "tensor<" + spec + ">";
    mlir::Type type = mlir::parseType(text, &context);
    if (!type)
      return fail("bad --input '" + spec + "': expected a type like 1x3x224x224xf32");
    options.inputTypes.push_back(type);
  }
  auto t0 = std::chrono::steady_clock::now();
  mlir::OwningOpRef<mlir::ModuleOp> module;
  try {
    fx::manualSeed(seed);
    std::shared_ptr<fx::Module> model = it->second();
    auto t1 = std::chrono::steady_clock::now();
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    // The first trace in a context also builds the modules' hyper-parameter attributes, which
    // later traces reuse; both times are reported.
    double first = 0, best = 1e30;
    for (unsigned i = 0; i < std::max(1u, repeat.getValue()); ++i) {
      auto s = std::chrono::steady_clock::now();
      module = fx::symbolicTrace(&context, *model, options);
      double t = ms(s, std::chrono::steady_clock::now());
      first = i == 0 ? t : first;
      best = std::min(best, t);
    }
    llvm::errs() << "traced " << modelName << ": build " << llvm::format("%.1f", ms(t0, t1))
                 << " ms, trace " << llvm::format("%.3f", best) << " ms";
    if (repeat > 1)
      llvm::errs() << " (fastest of " << repeat << "; first " << llvm::format("%.3f", first)
                   << " ms)";
    llvm::errs() << "\n";
  } catch (const fx::TraceError &e) {
    return fail(llvm::Twine("tracing ") + modelName + " failed: " + e.what());
  }
  if (mlir::failed(mlir::verify(*module)))
    return fail("the traced graph does not verify (see the diagnostics above)");
  std::string error;
  auto file = mlir::openOutputFile(output, &error);
  if (!file)
    return fail(error);
  if (llvm::StringRef(output).ends_with(".mlirbc")) {
    if (mlir::failed(mlir::writeBytecodeToFile(*module, file->os())))
      return fail("cannot write bytecode");
  } else {
    module->print(file->os());
  }
  file->keep();
  return 0;
}
