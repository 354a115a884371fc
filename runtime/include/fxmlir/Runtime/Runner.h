//===- Runner.h - Inputs, outputs and compiled libraries for the runners -*- C++ -*-===//
//
// What fx-run and fx-exec share, without MLIR or LLVM (fx-exec runs on machines that have
// neither): generated inputs, output summaries and reference comparisons, and opening a
// library written by fx-compile.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_RUNTIME_RUNNER_H
#define FXMLIR_RUNTIME_RUNNER_H

#include "fxmlir/Runtime/Entry.h"

#include <iosfwd>
#include <random>
#include <string>
#include <vector>

namespace fxmlir {

/// An input from a .npy file, or generated from a type such as `1x3x224x224xf32` (standard
/// normal floats, integers uniform in [0, 100)). Throws OpError.
Tensor loadOrGenerateInput(const std::string &spec, std::mt19937_64 &rng);

/// One input per spec (loadOrGenerateInput), generated from `seed`. Throws OpError naming the
/// input: its position and its name in `names` (the graph's inputs) if there is one.
std::vector<Tensor> loadInputs(const std::vector<std::string> &specs, unsigned seed,
                               const std::vector<std::string> &names);

/// "tensor<1x1000xfloat32> [0.1, 0.2, ...]".
std::string summarize(const Tensor &t);

/// "run 1.2 ms" or "run min 1.1 ms, median 1.2 ms (N runs)".
std::string describeRunTimes(std::vector<double> seconds);

struct ReportOptions {
  std::vector<std::string> compare; // reference .npy per output
  std::string outputDir;            // write output0.npy, ... here
  double rtol = 1e-4, atol = 1e-5;
  /// Integer and bool outputs are compared exactly unless a tolerance was asked for.
  bool toleranceGiven = false;
  bool normalize = false; // compare outputs divided by the reference's largest magnitude
};

/// Prints one line per output (and its comparison); returns the exit code: 0, or 1 on a
/// mismatch or an error (printed to `err` with `tool` as prefix).
int reportOutputs(const std::vector<Tensor> &outputs, const ReportOptions &options,
                  std::ostream &out, std::ostream &err, const std::string &tool);

/// Appends the inputs `signature` lists after the given ones (the weights of a library
/// compiled with --weights-as-inputs), each read from `dir/<name>.npy`. Throws OpError.
void appendWeights(const EntrySignature &signature, std::vector<Tensor> &inputs,
                   const std::string &dir);

/// A library from fx-compile, opened: its first graph's entry and signature.
struct CompiledLibrary {
  std::string name;
  EntrySignature signature;
  PackedEntry entry = nullptr;
  /// CUDA libraries: the graph on device buffers, and the functions that manage them.
  PackedEntry deviceEntry = nullptr;
  DeviceMemory device;
  /// dlopen()s `path`; throws OpError naming what is missing.
  static CompiledLibrary open(const std::string &path);
};

/// Compiled graphs malloc and free their intermediate buffers on each call; with glibc's
/// defaults, big blocks are fresh mappings returned on free, so each call faults its pages in
/// again (4x slower on resnet18). Runners call this first to keep freed memory in the heap.
void keepFreedMemory();

} // namespace fxmlir

#endif
