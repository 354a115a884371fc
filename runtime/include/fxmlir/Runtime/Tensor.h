//===- Tensor.h - Host tensors for the reference interpreter ----*- C++ -*-===//
//
// A dense, contiguous, row-major host tensor. Elements are stored as one wide type, `Element`,
// whatever the dtype, and every kernel rounds its results to the dtype (`roundToDType`), so
// float32 tensors behave like float32 storage while each kernel stays one plain loop. This is
// the oracle's representation: simple and obviously correct, never fast.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_RUNTIME_TENSOR_H
#define FXMLIR_RUNTIME_TENSOR_H

#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fxmlir {

/// One element of any dtype, held exactly: x86-64's `long double` (80-bit extended precision)
/// has a 64-bit significand, so every int64 and every float64 is representable. (A double
/// would round int64 values past 2^53.)
using Element = long double;
static_assert(std::numeric_limits<Element>::digits >= 64,
              "the interpreter needs a floating type that holds every int64 exactly");

enum class DType { Bool, U8, I8, I16, I32, I64, F16, BF16, F32, F64 };

/// torch's name without the `torch.` prefix (`float32`), and back; `parseDType` returns false
/// for an unknown name.
const char *dtypeName(DType dtype);
bool parseDType(const std::string &name, DType &dtype);
bool isFloating(DType dtype);
/// Rounds `v` to what a `dtype` element can hold (float32 rounding, integer truncation).
Element roundToDType(Element v, DType dtype);
/// torch.result_type for two tensors: the higher category (bool < int < float), then the wider.
DType promoteTypes(DType a, DType b);

/// An error raised by a kernel or by argument binding; the interpreter names the node.
struct OpError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Shape = std::vector<int64_t>;
int64_t numElements(const Shape &shape);
std::string shapeToString(const Shape &shape);
/// Row-major strides of a contiguous tensor of `shape`.
Shape contiguousStrides(const Shape &shape);

class Tensor {
public:
  Tensor() = default;
  Tensor(Shape shape, DType dtype, Element fill = 0);
  Tensor(Shape shape, DType dtype, std::vector<Element> data);

  const Shape &shape() const { return shape_; }
  DType dtype() const { return dtype_; }
  int64_t dim() const { return (int64_t)shape_.size(); }
  int64_t numel() const { return (int64_t)data_->size(); }
  /// Size of dimension `d` (negative counts from the end).
  int64_t size(int64_t d) const;

  Element *data() { return data_->data(); }
  const Element *data() const { return data_->data(); }
  Element operator[](int64_t i) const { return (*data_)[i]; }
  Element &operator[](int64_t i) { return (*data_)[i]; }

  /// A tensor sharing nothing with this one.
  Tensor clone() const;
  /// Same elements, new shape (one -1 is inferred); shares the data.
  Tensor reshape(Shape newShape) const;
  /// Rounds every element to the dtype; kernels call this on their results.
  Tensor &round();
  /// A copy converted to `dtype`.
  Tensor to(DType dtype) const;

private:
  Shape shape_;
  DType dtype_ = DType::F32;
  std::shared_ptr<std::vector<Element>> data_ = std::make_shared<std::vector<Element>>();
};

/// Normalises a possibly negative dimension index against `rank`.
int64_t wrapDim(int64_t d, int64_t rank);
/// `sizes` of a view or reshape of `numel` elements, a -1 inferred; throws torch's errors.
Shape inferReshape(Shape sizes, int64_t numel);
/// Broadcasts two shapes as numpy/torch do; throws OpError if they do not broadcast.
Shape broadcastShapes(const Shape &a, const Shape &b);
/// Reads `t` broadcast to `shape`: the flat index into `t` of each flat index of `shape`.
std::vector<int64_t> broadcastIndex(const Tensor &t, const Shape &shape);

} // namespace fxmlir

#endif
