//===- ExitOnFatalError.cpp - Errors, not aborts, when all else fails -----===//
#include "ExitOnFatalError.h"

#include "llvm/Support/ErrorHandling.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <unistd.h>

static const char *toolName = "fx";

/// Writes `<tool>: error: <parts...>` with write(2): memory may have run out.
static void writeError(std::initializer_list<const char *> parts) {
  auto put = [](const char *s) { (void)!::write(STDERR_FILENO, s, std::strlen(s)); };
  put(toolName);
  put(": error: ");
  for (const char *part : parts)
    put(part);
  put("\n");
}

[[noreturn]] static void outOfMemory(void *, const char *reason, bool) {
  writeError({"out of memory (", reason, ")"});
  std::_Exit(1);
}

[[noreturn]] static void uncaughtException() {
  if (std::exception_ptr current = std::current_exception()) {
    try {
      std::rethrow_exception(current);
    } catch (const std::bad_alloc &) {
      writeError({"out of memory"});
    } catch (const std::exception &e) {
      writeError({e.what()});
    } catch (...) {
      writeError({"unknown exception"});
    }
    std::_Exit(1);
  }
  std::abort(); // std::terminate called for another reason: a bug, keep the crash
}

void mlir::fx::tools::exitOnFatalError(const char *tool) {
  toolName = tool;
  llvm::install_bad_alloc_error_handler(outOfMemory);
  std::set_terminate(uncaughtException);
}
