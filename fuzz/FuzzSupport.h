//===- FuzzSupport.h - What every libFuzzer target shares --------*- C++ -*-===//
//
// One MLIRContext per process (creating one per input would dominate the run time), quiet
// diagnostics that are kept so that a failed check can show them, the size limits that keep
// each input fast, and `fuzzCheck`, which turns a broken invariant into a crash libFuzzer
// records. Errors the tools would report to a user are fine; crashes and invalid IR are not.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FUZZ_FUZZSUPPORT_H
#define FXMLIR_FUZZ_FUZZSUPPORT_H

#include "fxmlir/Dialect/FX/FXDialect.h"
#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace fxfuzz {

/// Tensors the fuzzed graphs may declare: the interpreter and shape propagation materialize
/// every element (as a double), so larger ones would only make each input slow.
constexpr int64_t kMaxDeclaredElements = 1 << 14;
/// Nodes per graph module: keeps each input in the milliseconds.
constexpr int64_t kMaxOperations = 200;

/// A context with the fx dialect (and what `registry` adds), single-threaded: deterministic
/// and cheaper per input.
inline mlir::MLIRContext &getContext(void (*addDialects)(mlir::DialectRegistry &) = nullptr) {
  static mlir::MLIRContext *context = [&] {
    mlir::DialectRegistry registry;
    registry.insert<mlir::fx::FXDialect>();
    if (addDialects)
      addDialects(registry);
    auto *ctx = new mlir::MLIRContext(registry, mlir::MLIRContext::Threading::DISABLED);
    ctx->loadAllAvailableDialects();
    return ctx;
  }();
  return *context;
}

/// Swallows the diagnostics of one input and keeps their text (shown by fuzzFailure).
class QuietDiagnostics {
public:
  explicit QuietDiagnostics(mlir::MLIRContext &context)
      : handler(&context, [this](mlir::Diagnostic &diag) {
          if (diag.getSeverity() == mlir::DiagnosticSeverity::Error)
            ++errors;
          llvm::raw_string_ostream(text) << diag << "\n";
          if (verbose())
            llvm::errs() << diag << "\n";
          return mlir::success();
        }) {}
  unsigned errorCount() const { return errors; }
  const std::string &str() const { return text; }

private:
  /// FX_FUZZ_VERBOSE=1 prints every diagnostic (to see why an input is rejected).
  static bool verbose() {
    static bool on = std::getenv("FX_FUZZ_VERBOSE") != nullptr;
    return on;
  }
  std::string text;
  unsigned errors = 0;
  mlir::ScopedDiagnosticHandler handler;
};

/// A broken invariant: prints what was expected, the IR and the diagnostics, then aborts so
/// that libFuzzer saves the input.
[[noreturn]] inline void fuzzFailure(const char *what, mlir::Operation *op,
                                     const QuietDiagnostics &diags) {
  llvm::errs() << "fuzz check failed: " << what << "\n";
  if (op) {
    mlir::OpPrintingFlags flags;
    op->print(llvm::errs(), flags.printGenericOpForm().assumeVerified());
    llvm::errs() << "\n";
  }
  llvm::errs() << "diagnostics:\n" << diags.str();
  std::abort();
}

inline void fuzzCheck(bool ok, const char *what, mlir::Operation *op,
                      const QuietDiagnostics &diags) {
  if (!ok)
    fuzzFailure(what, op, diags);
}

/// The invariant every pass keeps: it fails with an error, or it leaves IR the verifier accepts.
/// Checked after each pass of a pipeline run with the pass manager's own verification off (it
/// would turn invalid IR into a quiet pipeline failure).
class VerifyAfterEachPass : public mlir::PassInstrumentation {
public:
  explicit VerifyAfterEachPass(const QuietDiagnostics &diags) : diags(diags) {}
  void runAfterPass(mlir::Pass *pass, mlir::Operation *op) override {
    if (mlir::succeeded(mlir::verify(op)))
      return;
    llvm::errs() << "pass: " << pass->getArgument() << "\n";
    fuzzFailure("a pass produced IR the verifier rejects", op, diags);
  }
  void runAfterPassFailed(mlir::Pass *pass, mlir::Operation *op) override {
    if (diags.errorCount() > 0)
      return;
    llvm::errs() << "pass: " << pass->getArgument() << "\n";
    fuzzFailure("a pass failed without an error", op, diags);
  }

private:
  const QuietDiagnostics &diags;
};

/// Runs `pm` on `module` with VerifyAfterEachPass; whether it succeeded.
inline bool runCheckedPipeline(mlir::PassManager &pm, mlir::ModuleOp module,
                               const QuietDiagnostics &diags) {
  pm.enableVerifier(false);
  pm.addInstrumentation(std::make_unique<VerifyAfterEachPass>(diags));
  return mlir::succeeded(pm.run(module));
}

/// Parses `data` as a module (text or bytecode) and verifies it; null if it is rejected.
inline mlir::OwningOpRef<mlir::ModuleOp> parseModule(const uint8_t *data, size_t size,
                                                     mlir::MLIRContext &context) {
  // MLIR's lexer stops at the NUL that ends every buffer the tools read (files, stdin);
  // libFuzzer's input has none.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::ParserConfig config(&context);
  return mlir::parseSourceString<mlir::ModuleOp>(text, config, "fuzz-input");
}

/// Whether `module` is small enough to run: few nodes, and no declared tensor type (of a
/// placeholder, parameter, node or literal) with more than kMaxDeclaredElements elements.
inline bool isSmallEnoughToRun(mlir::ModuleOp module) {
  int64_t operations = 0;
  bool small = true;
  auto checkType = [&](mlir::Type type) {
    auto shaped = llvm::dyn_cast<mlir::ShapedType>(type);
    if (!shaped || !shaped.hasRank())
      return;
    int64_t elements = 1;
    for (int64_t dim : shaped.getShape())
      if (mlir::ShapedType::isDynamic(dim))
        continue;
      else if (dim < 0 || dim > kMaxDeclaredElements ||
               (elements *= std::max<int64_t>(dim, 1)) > kMaxDeclaredElements)
        small = false;
  };
  module->walk([&](mlir::Operation *op) {
    ++operations;
    for (mlir::Type type : op->getResultTypes())
      checkType(type);
    op->getAttrDictionary().walk([&](mlir::Type type) { checkType(type); });
  });
  return small && operations <= kMaxOperations;
}

} // namespace fxfuzz

#endif
