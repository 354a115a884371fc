//===- Entry.cpp - Calling compiled graphs --------------------------------===//
#include "fxmlir/Runtime/Entry.h"
#include "fxmlir/Runtime/Memory.h"
#include "fxmlir/Runtime/PyValue.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>

namespace fxmlir {

/// MLIR's element type names as the signature spells them.
static DType parseElementType(const std::string &name) {
  static const std::map<std::string, DType> types = {
      {"f32", DType::F32}, {"f64", DType::F64}, {"f16", DType::F16},
      {"i64", DType::I64}, {"i32", DType::I32}, {"i16", DType::I16},
      {"i8", DType::I8},   {"ui8", DType::U8},  {"i1", DType::Bool}};
  auto it = types.find(name);
  if (it == types.end())
    throw OpError("compiled entries do not support element type '" + name + "' yet");
  return it->second;
}

static size_t elementSize(DType d) {
  switch (d) {
  case DType::F64: case DType::I64: return 8;
  case DType::F32: case DType::I32: return 4;
  case DType::I16: case DType::F16: case DType::BF16: return 2;
  default: return 1;
  }
}

/// "x:f32[1,3]" -> spec.
static TensorSpec parseSpec(const std::string &text) {
  size_t colon = text.rfind(':'), open = text.find('[', colon), close = text.find(']', open);
  if (colon == std::string::npos || open == std::string::npos || close == std::string::npos)
    throw OpError("malformed tensor in a compiled signature: '" + text + "'");
  TensorSpec spec;
  spec.name = text.substr(0, colon);
  spec.dtype = parseElementType(text.substr(colon + 1, open - colon - 1));
  std::stringstream dims(text.substr(open + 1, close - open - 1));
  std::string dim;
  while (std::getline(dims, dim, ','))
    spec.shape.push_back(std::stoll(dim));
  return spec;
}

static std::vector<TensorSpec> parseList(const std::string &text) {
  std::vector<TensorSpec> specs;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ';'))
    if (!item.empty())
      specs.push_back(parseSpec(item));
  return specs;
}

EntrySignature EntrySignature::parse(const std::string &text) {
  size_t arrow = text.find("->");
  if (arrow == std::string::npos)
    throw OpError("malformed compiled signature: '" + text + "'");
  EntrySignature sig;
  sig.inputs = parseList(text.substr(0, arrow));
  sig.outputs = parseList(text.substr(arrow + 2));
  return sig;
}

template <typename T> static void store(std::vector<char> &bytes, const Tensor &t) {
  T *p = reinterpret_cast<T *>(bytes.data());
  for (int64_t i = 0; i < t.numel(); ++i)
    p[i] = (T)t[i];
}
template <typename T> static void load(const std::vector<char> &bytes, Tensor &t) {
  const T *p = reinterpret_cast<const T *>(bytes.data());
  for (int64_t i = 0; i < t.numel(); ++i)
    t[i] = p[i];
}

static void convert(std::vector<char> &bytes, Tensor &t, bool toBytes) {
  switch (t.dtype()) {
  case DType::F32: toBytes ? store<float>(bytes, t) : load<float>(bytes, t); break;
  case DType::F64: toBytes ? store<double>(bytes, t) : load<double>(bytes, t); break;
  // IEEE half, rounded to nearest even from the double (GCC and Clang on x86-64 and AArch64).
  case DType::F16: toBytes ? store<_Float16>(bytes, t) : load<_Float16>(bytes, t); break;
  case DType::I64: toBytes ? store<int64_t>(bytes, t) : load<int64_t>(bytes, t); break;
  case DType::I32: toBytes ? store<int32_t>(bytes, t) : load<int32_t>(bytes, t); break;
  case DType::I16: toBytes ? store<int16_t>(bytes, t) : load<int16_t>(bytes, t); break;
  case DType::I8: toBytes ? store<int8_t>(bytes, t) : load<int8_t>(bytes, t); break;
  case DType::U8: case DType::Bool:
    toBytes ? store<uint8_t>(bytes, t) : load<uint8_t>(bytes, t);
    break;
  default: throw OpError("unsupported element type in a compiled entry");
  }
}

std::vector<Tensor> callEntry(PackedEntry entry, const EntrySignature &sig,
                              const std::vector<Tensor> &inputs, int repeat,
                              std::vector<double> &seconds, const DeviceMemory *device) {
  if (inputs.size() != sig.inputs.size())
    throw OpError("the compiled graph takes " + std::to_string(sig.inputs.size()) +
                  " inputs, got " + std::to_string(inputs.size()));
  std::vector<std::vector<char>> buffers;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const TensorSpec &spec = sig.inputs[i];
    if (inputs[i].shape() != spec.shape)
      throw OpError("input '" + spec.name + "' has shape " + shapeToString(inputs[i].shape()) +
                    "; the graph was compiled for " + shapeToString(spec.shape));
    Tensor t = inputs[i].dtype() == spec.dtype ? inputs[i] : inputs[i].to(spec.dtype);
    // At least one element, as for outputs: no zero-byte (null) device allocations.
    buffers.emplace_back(std::max<int64_t>(t.numel(), 1) * elementSize(spec.dtype));
    convert(buffers.back(), t, true);
  }
  std::vector<Tensor> outputs;
  for (const TensorSpec &spec : sig.outputs) {
    try { // the tensor and the buffer the graph writes it to
      outputs.emplace_back(spec.shape, spec.dtype);
      checkedNumElements(spec.shape, spec.dtype, elementSize(spec.dtype));
    } catch (const OpError &e) {
      throw OpError("output '" + spec.name + "' of the compiled graph: " + e.what());
    }
    buffers.emplace_back(std::max<int64_t>(outputs.back().numel(), 1) * elementSize(spec.dtype));
  }
  std::vector<void *> pointers;
  for (size_t i = 0; i < buffers.size(); ++i) {
    pointers.push_back(device ? device->alloc(buffers[i].size()) : buffers[i].data());
    if (device && i < inputs.size())
      device->toDevice(pointers.back(), buffers[i].data(), buffers[i].size());
  }
  for (int r = 0; r < std::max(repeat, 1); ++r) {
    auto t0 = std::chrono::steady_clock::now();
    entry(pointers.data());
    auto t1 = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
  }
  for (size_t i = 0; device && i < buffers.size(); ++i) {
    if (i >= inputs.size())
      device->toHost(buffers[i].data(), pointers[i], buffers[i].size());
    device->free(pointers[i]);
  }
  for (size_t i = 0; i < outputs.size(); ++i)
    convert(buffers[inputs.size() + i], outputs[i], false);
  return outputs;
}

} // namespace fxmlir
