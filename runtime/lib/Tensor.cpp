//===- Tensor.cpp - Host tensors ------------------------------------------===//
#include "fxmlir/Runtime/Tensor.h"
#include "fxmlir/Runtime/Memory.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace fxmlir {

static const struct {
  DType dtype;
  const char *name;
} kDTypeNames[] = {{DType::Bool, "bool"},    {DType::U8, "uint8"},     {DType::I8, "int8"},
                   {DType::I16, "int16"},    {DType::I32, "int32"},    {DType::I64, "int64"},
                   {DType::F16, "float16"},  {DType::BF16, "bfloat16"}, {DType::F32, "float32"},
                   {DType::F64, "float64"}};

const char *dtypeName(DType dtype) {
  for (auto &e : kDTypeNames)
    if (e.dtype == dtype)
      return e.name;
  return "?";
}

bool parseDType(const std::string &name, DType &dtype) {
  for (auto &e : kDTypeNames)
    if (name == e.name) {
      dtype = e.dtype;
      return true;
    }
  return false;
}

bool isFloating(DType d) {
  return d == DType::F16 || d == DType::BF16 || d == DType::F32 || d == DType::F64;
}

static float roundToBF16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if (std::isnan(f))
    return f;
  bits += 0x7FFF + ((bits >> 16) & 1); // round to nearest even
  bits &= 0xFFFF0000u;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// `v` truncated toward zero and wrapped into a `bits`-wide integer, as torch's integer
/// conversions and overflowing integer arithmetic wrap. NaN and infinities give x86's
/// "integer indefinite" (the most negative value) for 32 and 64 bits, whose low bits are 0.
static Element wrapToInteger(Element v, int bits, bool isSigned) {
  if (!std::isfinite(v))
    return bits >= 32 ? -std::ldexp((Element)1, bits - 1) : 0;
  Element modulus = std::ldexp((Element)1, bits);
  Element r = std::fmod(std::trunc(v), modulus); // exact
  if (r < 0)
    r += modulus;
  if (isSigned && r >= modulus / 2)
    r -= modulus;
  return r;
}

Element roundToDType(Element v, DType d) {
  switch (d) {
  case DType::F64:
    return (double)v;
  case DType::F32:
    return (float)v;
  case DType::F16: // close enough for a reference: 11 bits of mantissa
  {
    if (!std::isfinite(v) || v == 0)
      return v;
    int e;
    Element m = std::frexp(v, &e);
    return std::ldexp(std::nearbyint(m * 2048) / 2048, e);
  }
  case DType::BF16:
    return roundToBF16((float)v);
  case DType::Bool:
    return v != 0 ? 1 : 0;
  case DType::U8:
    return wrapToInteger(v, 8, false);
  case DType::I8:
    return wrapToInteger(v, 8, true);
  case DType::I16:
    return wrapToInteger(v, 16, true);
  case DType::I32:
    return wrapToInteger(v, 32, true);
  case DType::I64:
    return wrapToInteger(v, 64, true);
  }
  return v;
}

static int category(DType d) { return d == DType::Bool ? 0 : isFloating(d) ? 2 : 1; }

DType promoteTypes(DType a, DType b) {
  if (category(a) != category(b))
    return category(a) > category(b) ? a : b;
  return (int)a > (int)b ? a : b;
}

/// `a * b`, or an OpError naming `shape` when int64 cannot hold it.
static int64_t checkedProduct(int64_t a, int64_t b, const Shape &shape) {
  int64_t product;
  if (__builtin_mul_overflow(a, b, &product))
    throw OpError("shape " + shapeToString(shape) + " has more elements than int64 can count");
  return product;
}

int64_t numElements(const Shape &shape) {
  if (std::find(shape.begin(), shape.end(), 0) != shape.end())
    return 0;
  int64_t n = 1;
  for (int64_t d : shape)
    n = checkedProduct(n, d, shape);
  return n;
}

std::string shapeToString(const Shape &shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << shape[i];
  os << ']';
  return os.str();
}

Shape contiguousStrides(const Shape &shape) {
  Shape strides(shape.size(), 1);
  // A size-0 dim strides as size 1, as torch's (so a zero-element shape cannot overflow).
  for (int64_t i = (int64_t)shape.size() - 2; i >= 0; --i)
    strides[i] = checkedProduct(strides[i + 1], std::max<int64_t>(shape[i + 1], 1), shape);
  return strides;
}

Tensor::Tensor(Shape shape, DType dtype, Element fill)
    : shape_(std::move(shape)), dtype_(dtype),
      data_(std::make_shared<std::vector<Element>>(
          checkedNumElements(shape_, dtype_, sizeof(Element)), fill)) {}

Tensor::Tensor(Shape shape, DType dtype, std::vector<Element> data)
    : shape_(std::move(shape)), dtype_(dtype),
      data_(std::make_shared<std::vector<Element>>(std::move(data))) {
  if ((int64_t)data_->size() != numElements(shape_))
    throw OpError("tensor of shape " + shapeToString(shape_) + " given " +
                  std::to_string(data_->size()) + " elements");
}

int64_t Tensor::size(int64_t d) const { return shape_[wrapDim(d, dim())]; }

Tensor Tensor::clone() const { return Tensor(shape_, dtype_, *data_); }

Shape inferReshape(Shape sizes, int64_t numel) {
  auto invalid = [&] {
    return OpError("shape '" + shapeToString(sizes) + "' is invalid for input of size " +
                   std::to_string(numel));
  };
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] != -1) {
      known *= sizes[i];
    } else if (inferred >= 0) {
      throw OpError("only one dimension can be inferred");
    } else {
      inferred = (int64_t)i;
    }
  }
  if (inferred >= 0) {
    if (known == 0 || numel % known != 0)
      throw invalid();
    sizes[inferred] = numel / known;
  }
  if (numElements(sizes) != numel)
    throw invalid();
  return sizes;
}

Tensor Tensor::reshape(Shape newShape) const {
  newShape = inferReshape(std::move(newShape), numel());
  Tensor t = *this;
  t.shape_ = std::move(newShape);
  return t;
}

Tensor &Tensor::round() {
  for (Element &v : *data_)
    v = roundToDType(v, dtype_);
  return *this;
}

Tensor Tensor::to(DType dtype) const {
  Tensor t = clone();
  t.dtype_ = dtype;
  return t.round();
}

int64_t wrapDim(int64_t d, int64_t rank) {
  int64_t r = rank == 0 ? 1 : rank;
  if (d < -r || d >= r)
    throw OpError("Dimension out of range (expected to be in range of [" + std::to_string(-r) +
                  ", " + std::to_string(r - 1) + "], but got " + std::to_string(d) + ")");
  return d < 0 ? d + r : d;
}

Shape broadcastShapes(const Shape &a, const Shape &b) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw OpError("The size of tensor a (" + std::to_string(da) +
                    ") must match the size of tensor b (" + std::to_string(db) +
                    ") at non-singleton dimension " + std::to_string(i));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> broadcastIndex(const Tensor &t, const Shape &shape) {
  int64_t n = numElements(shape);
  std::vector<int64_t> idx(n);
  size_t rank = shape.size(), offset = rank - t.shape().size();
  Shape srcStrides = contiguousStrides(t.shape());
  std::vector<int64_t> counter(rank, 0);
  for (int64_t flat = 0; flat < n; ++flat) {
    int64_t src = 0;
    for (size_t d = offset; d < rank; ++d)
      if (t.shape()[d - offset] != 1)
        src += counter[d] * srcStrides[d - offset];
    idx[flat] = src;
    for (int64_t d = (int64_t)rank - 1; d >= 0; --d) {
      if (++counter[d] < shape[d])
        break;
      counter[d] = 0;
    }
  }
  return idx;
}

} // namespace fxmlir
