//===- PyValue.h - Python values flowing through the interpreter -*- C++ -*-===//
//
// What a torch.fx node can produce or take: a tensor, or a Python value (int, float, bool,
// None, str, dtype, device, slice, Ellipsis, tuple, list, dict).
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_RUNTIME_PYVALUE_H
#define FXMLIR_RUNTIME_PYVALUE_H

#include "fxmlir/Runtime/Tensor.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace fxmlir {

class PyValue {
public:
  enum class Kind { None, Bool, Int, Float, Str, Tensor, Tuple, List, Dict, DType, Device,
                    Slice, Ellipsis, Object };

  PyValue() = default;
  PyValue(const Tensor &t) : kind_(Kind::Tensor), tensor_(t) {}
  static PyValue none() { return PyValue(); }
  static PyValue boolean(bool b) { return scalar(Kind::Bool, b); }
  static PyValue integer(int64_t i) { return scalar(Kind::Int, (double)i, i); }
  static PyValue floating(double f) { return scalar(Kind::Float, f); }
  static PyValue str(std::string s) { return named(Kind::Str, std::move(s)); }
  static PyValue dtype(DType d) { return named(Kind::DType, dtypeName(d)); }
  static PyValue device(std::string s) { return named(Kind::Device, std::move(s)); }
  /// A named Python object the interpreter only passes along (torch.contiguous_format).
  static PyValue object(std::string s) { return named(Kind::Object, std::move(s)); }
  static PyValue ellipsis() { PyValue v; v.kind_ = Kind::Ellipsis; return v; }
  static PyValue tuple(std::vector<PyValue> items) { return seq(Kind::Tuple, std::move(items)); }
  static PyValue list(std::vector<PyValue> items) { return seq(Kind::List, std::move(items)); }
  static PyValue slice(PyValue start, PyValue stop, PyValue step) {
    return seq(Kind::Slice, {std::move(start), std::move(stop), std::move(step)});
  }
  static PyValue dict(std::vector<PyValue> keys, std::vector<PyValue> values);

  Kind kind() const { return kind_; }
  bool isNone() const { return kind_ == Kind::None; }
  bool isTensor() const { return kind_ == Kind::Tensor; }
  bool isNumber() const { return kind_ == Kind::Int || kind_ == Kind::Float || kind_ == Kind::Bool; }
  bool isSequence() const { return kind_ == Kind::Tuple || kind_ == Kind::List; }

  /// Accessors throw OpError naming what was expected when the kind does not match.
  const Tensor &tensor() const;
  int64_t toInt() const;      // int or bool
  double toDouble() const;    // int, float or bool
  /// The number exactly (an int keeps all 64 bits): what kernels compute with.
  Element toElement() const; // int, float, bool or a one-element tensor
  bool toBool() const;
  const std::string &toStr() const;
  DType toDType() const;
  const std::vector<PyValue> &items() const; // tuple, list, slice (start, stop, step)
  const std::vector<PyValue> &keys() const;  // dict
  /// An int or a sequence of ints as a vector (torch's `int[]` arguments accept both).
  std::vector<int64_t> toIntList(size_t broadcastTo = 0) const;

  /// Python's repr-like summary, for messages.
  std::string describe() const;
  const char *kindName() const;

private:
  static PyValue scalar(Kind k, double f, int64_t i = 0) {
    PyValue v;
    v.kind_ = k;
    v.f_ = f;
    v.i_ = k == Kind::Int ? i : saturatedInt(f);
    return v;
  }
  /// `f` truncated toward zero, saturated at int64's range (NaN: 0): a float's int view,
  /// without the undefined behaviour of casting an out-of-range double (UBSan found -inf).
  static int64_t saturatedInt(double f) {
    if (std::isnan(f))
      return 0;
    if (f >= 0x1p63)
      return std::numeric_limits<int64_t>::max();
    if (f <= -0x1p63)
      return std::numeric_limits<int64_t>::min();
    return (int64_t)f;
  }
  static PyValue named(Kind k, std::string s) {
    PyValue v;
    v.kind_ = k;
    v.s_ = std::move(s);
    return v;
  }
  static PyValue seq(Kind k, std::vector<PyValue> items) {
    PyValue v;
    v.kind_ = k;
    v.items_ = std::move(items);
    return v;
  }

  Kind kind_ = Kind::None;
  double f_ = 0;
  int64_t i_ = 0;
  std::string s_;
  Tensor tensor_;
  std::vector<PyValue> items_;
  std::vector<PyValue> keys_;
};

/// Tensors of a (nested) value in pytree order, as torch.fx flattens outputs; Python numbers
/// become 0-d tensors, None and strings are skipped.
std::vector<Tensor> flattenTensors(const PyValue &value);

} // namespace fxmlir

#endif
