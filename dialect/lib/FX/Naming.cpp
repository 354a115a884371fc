//===- Naming.cpp - torch.fx node naming ----------------------------------===//
#include "fxmlir/Dialect/FX/Naming.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::fx;

bool mlir::fx::isPythonKeyword(llvm::StringRef name) {
  static const llvm::StringSet<> keywords = {
      "False", "None",   "True",    "and",      "as",     "assert", "async",  "await",
      "break", "class",  "continue", "def",     "del",    "elif",   "else",   "except",
      "finally", "for",  "from",    "global",   "if",     "import", "in",     "is",
      "lambda", "nonlocal", "not",  "or",       "pass",   "raise",  "return", "try",
      "while", "with",   "yield"};
  return keywords.contains(name);
}

bool mlir::fx::isReservedName(llvm::StringRef name) {
  // Python 3.11's builtins module, and the globals torch.fx's generated code relies on.
  static const llvm::StringSet<> reserved = {
      "ArithmeticError", "AssertionError", "AttributeError", "BaseException",
      "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError",
      "BytesWarning", "ChildProcessError", "ConnectionAbortedError", "ConnectionError",
      "ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError",
      "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup",
      "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
      "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError",
      "IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt",
      "LookupError", "MemoryError", "ModuleNotFoundError", "NameError", "NotADirectoryError",
      "NotImplemented", "NotImplementedError", "OSError", "OverflowError",
      "PendingDeprecationWarning", "PermissionError", "ProcessLookupError", "RecursionError",
      "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
      "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
      "SystemExit", "TabError", "TimeoutError", "TypeError", "UnboundLocalError",
      "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
      "UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError",
      "__build_class__", "__debug__", "__doc__", "__import__", "__loader__", "__name__",
      "__package__", "__spec__", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool",
      "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex",
      "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec",
      "exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash",
      "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license",
      "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord",
      "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set", "setattr",
      "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip",
      // torch.fx's _custom_builtins
      "inf", "nan", "NoneType", "torch", "device", "fx_pytree", "pytree"};
  return isPythonKeyword(name) || reserved.contains(name);
}

bool mlir::fx::isValidNodeName(llvm::StringRef name) {
  if (name.empty() || llvm::isDigit(name.front()))
    return false;
  for (char c : name)
    if (!llvm::isAlnum(c) && c != '_')
      return false;
  return !isPythonKeyword(name);
}

std::string mlir::fx::snakeCase(llvm::StringRef s) {
  std::string out;
  bool prevLower = false;
  for (char c : s) {
    if (prevLower && llvm::isUpper(c))
      out.push_back('_');
    out.push_back(llvm::toLower(c));
    prevLower = llvm::isLower(c);
  }
  return out;
}

std::string mlir::fx::nameForTarget(llvm::StringRef opcode, llvm::StringRef target) {
  llvm::StringRef op = target;
  // A callable's __name__ is the last atom of its qualified name.
  if (opcode == "call_function")
    op = target.rsplit('.').second.empty() ? target : target.rsplit('.').second;
  if (op.size() > 4 && op.starts_with("__") && op.ends_with("__"))
    op = op.drop_front(2).drop_back(2);
  return snakeCase(op);
}

std::string NodeNamespace::createName(llvm::StringRef rawCandidate) {
  // Runs of characters illegal in an identifier become one underscore.
  std::string candidate;
  bool inIllegalRun = false;
  for (char c : rawCandidate) {
    if (llvm::isAlnum(c) || c == '_') {
      candidate.push_back(c);
      inIllegalRun = false;
    } else if (!inIllegalRun) {
      candidate.push_back('_');
      inIllegalRun = true;
    }
  }
  if (candidate.empty())
    candidate = "_unnamed";
  if (llvm::isDigit(candidate.front()))
    candidate = "_" + candidate;

  // A trailing `_<digits>` is a suffix counter: `add_1` has base `add`.
  std::string base = candidate;
  unsigned num = 0;
  size_t underscore = candidate.rfind('_');
  if (underscore != std::string::npos && underscore + 1 < candidate.size() &&
      llvm::all_of(llvm::StringRef(candidate).drop_front(underscore + 1), llvm::isDigit)) {
    base = candidate.substr(0, underscore);
    llvm::StringRef(candidate).drop_front(underscore + 1).getAsInteger(10, num);
    candidate = base + "_" + std::to_string(num);
  }
  if (num == 0)
    num = baseCount.lookup(base);
  while (used.contains(candidate) || isReservedName(candidate)) {
    ++num;
    candidate = base + "_" + std::to_string(num);
  }
  used.insert(candidate);
  baseCount[base] = num;
  return candidate;
}
