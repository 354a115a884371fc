//===- fx-ops.cpp - The op registry as JSON -------------------------------===//
//
// Lists every registered op, one JSON object a line: its canonical target, its spellings
// (`method:` marks a Tensor method), its schema, the name of its lowering ("" where it cannot
// be compiled) and its sample calls; with --modules, the torch.nn module types it decomposes.
// The op sweep (test/Ops/sweep.py) reads it; so can anyone asking "what does FX-MLIR
// support?". Plain C++: the registry needs no MLIR.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Ops/Registry.h"

#include <cstdio>
#include <iostream>
#include <string>

static std::string quoted(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if ((unsigned char)c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

static std::string quotedList(const std::vector<std::string> &items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + quoted(items[i]);
  return out + "]";
}

static void printModules() {
  for (const auto &[type, info] : fxmlir::Registry::get().moduleTypes()) {
    std::string samples = "[";
    for (size_t i = 0; i < info->samples.size(); ++i)
      samples +=
          (i ? ", " : "") + quotedList({info->samples[i].constructor, info->samples[i].forward});
    std::cout << "{\"type\": " << quoted(type)
              << ", \"constructor\": " << quoted(info->constructor.str())
              << ", \"forward\": " << quoted(info->forward.str()) << ", \"samples\": " << samples
              << "]}\n";
  }
}

int main(int argc, char **argv) {
  bool modules = argc == 2 && std::string(argv[1]) == "--modules";
  if (argc > 1 && !modules) {
    std::string arg = argv[1];
    bool help = arg == "--help" || arg == "-h";
    (help ? std::cout : std::cerr)
        << "usage: fx-ops [--modules]\n\nPrints FX-MLIR's op registry, one JSON object per op: "
           "target, spellings, schema, lowering, samples.\n  --modules  the torch.nn module "
           "types instead: type, constructor, forward, samples ([constructor args, forward "
           "args]).\n";
    return help ? 0 : 1;
  }
  if (modules) {
    printModules();
    return 0;
  }
  for (const auto &op : fxmlir::Registry::get().ops()) {
    std::vector<std::string> spellings = {op->schema.name};
    spellings.insert(spellings.end(), op->aliases.begin(), op->aliases.end());
    std::cout << "{\"target\": " << quoted(op->schema.name)
              << ", \"spellings\": " << quotedList(spellings)
              << ", \"schema\": " << quoted(op->schema.str())
              << ", \"lowering\": " << quoted(op->lowering)
              << ", \"samples\": " << quotedList(op->samples) << "}\n";
  }
  return 0;
}
