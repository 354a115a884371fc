//===- Shape.cpp - Views, concatenation, indexing, sizes ------------------===//
#include "KernelUtils.h"

namespace fxmlir {

static PyValue sizeTuple(const Shape &shape) {
  std::vector<PyValue> items;
  for (int64_t d : shape)
    items.push_back(PyValue::integer(d));
  return PyValue::tuple(items);
}

static Tensor permute(const Tensor &x, const std::vector<int64_t> &dims0) {
  if ((int64_t)dims0.size() != x.dim())
    throw OpError("permute: number of dims don't match (" + std::to_string(dims0.size()) +
                  " for a " + std::to_string(x.dim()) + "-D tensor)");
  std::vector<int64_t> dims;
  for (int64_t d : dims0)
    dims.push_back(wrapDim(d, x.dim()));
  Shape outShape;
  for (int64_t d : dims)
    outShape.push_back(x.shape()[d]);
  Shape inStrides = contiguousStrides(x.shape());
  Tensor out(outShape, x.dtype());
  std::vector<int64_t> counter(dims.size(), 0);
  for (int64_t flat = 0; flat < out.numel(); ++flat) {
    int64_t src = 0;
    for (size_t i = 0; i < dims.size(); ++i)
      src += counter[i] * inStrides[dims[i]];
    out[flat] = x[src];
    for (int64_t i = (int64_t)dims.size() - 1; i >= 0; --i) {
      if (++counter[i] < outShape[i])
        break;
      counter[i] = 0;
    }
  }
  return out;
}

static Tensor flatten(const Tensor &x, int64_t start, int64_t end) {
  if (x.dim() == 0)
    return x.reshape({1});
  start = wrapDim(start, x.dim());
  end = wrapDim(end, x.dim());
  if (start > end)
    throw OpError("flatten() has invalid args: start_dim cannot come after end_dim");
  Shape shape(x.shape().begin(), x.shape().begin() + start);
  int64_t merged = 1;
  for (int64_t d = start; d <= end; ++d)
    merged *= x.shape()[d];
  shape.push_back(merged);
  shape.insert(shape.end(), x.shape().begin() + end + 1, x.shape().end());
  return x.reshape(shape);
}

static Tensor cat(const std::vector<PyValue> &items, int64_t dim0) {
  std::vector<Tensor> ts;
  for (const PyValue &v : items)
    if (!(v.tensor().dim() == 1 && v.tensor().numel() == 0)) // torch skips legacy empty tensors
      ts.push_back(v.tensor());
  if (ts.empty())
    throw OpError("cat: expected a non-empty list of Tensors");
  int64_t dim = wrapDim(dim0, ts[0].dim());
  Shape shape = ts[0].shape();
  DType dtype = ts[0].dtype();
  shape[dim] = 0;
  for (const Tensor &t : ts) {
    if (t.dim() != ts[0].dim())
      throw OpError("cat: tensors must have the same number of dimensions");
    for (int64_t d = 0; d < t.dim(); ++d)
      if (d != dim && t.shape()[d] != ts[0].shape()[d])
        throw OpError("cat: sizes of tensors must match except in dimension " +
                      std::to_string(dim) + "; got " + shapeToString(t.shape()) + " and " +
                      shapeToString(ts[0].shape()));
    shape[dim] += t.shape()[dim];
    dtype = promoteTypes(dtype, t.dtype());
  }
  Tensor out(shape, dtype);
  DimSplit os = splitAt(shape, dim);
  int64_t offset = 0;
  for (const Tensor &t : ts) {
    DimSplit s = splitAt(t.shape(), dim);
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t k = 0; k < s.size; ++k)
        for (int64_t i = 0; i < s.inner; ++i)
          out[(o * os.size + offset + k) * os.inner + i] = t[(o * s.size + k) * s.inner + i];
    offset += s.size;
  }
  return out.round();
}

static Tensor narrow(const Tensor &x, int64_t dim, int64_t start, int64_t length, int64_t step = 1) {
  Shape shape = x.shape();
  shape[dim] = length;
  Tensor out(shape, x.dtype());
  DimSplit s = splitAt(x.shape(), dim);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < length; ++k)
      for (int64_t i = 0; i < s.inner; ++i)
        out[(o * length + k) * s.inner + i] = x[(o * s.size + start + k * step) * s.inner + i];
  return out;
}

static PyValue split(const Tensor &x, const PyValue &sizes, int64_t dim0) {
  int64_t dim = wrapDim(dim0, x.dim()), total = x.shape()[dim];
  std::vector<int64_t> lengths;
  if (sizes.isSequence()) {
    lengths = sizes.toIntList();
    int64_t sum = 0;
    for (int64_t l : lengths)
      sum += l;
    if (sum != total)
      throw OpError("split_with_sizes expects split_sizes to sum exactly to " +
                    std::to_string(total));
  } else {
    int64_t step = sizes.toInt();
    if (step <= 0)
      throw OpError("split expects split_size be positive");
    for (int64_t start = 0; start < total; start += step)
      lengths.push_back(std::min(step, total - start));
  }
  std::vector<PyValue> parts;
  int64_t start = 0;
  for (int64_t l : lengths) {
    parts.push_back(narrow(x, dim, start, l));
    start += l;
  }
  return PyValue::tuple(parts);
}

/// Python's slice.indices() for a positive step.
static void sliceIndices(const PyValue &sl, int64_t size, int64_t &start, int64_t &len,
                         int64_t &step) {
  const auto &p = sl.items();
  step = p[2].isNone() ? 1 : p[2].toInt();
  if (step <= 0)
    throw OpError("step must be greater than zero");
  auto clampIndex = [&](const PyValue &v, int64_t dflt) {
    if (v.isNone())
      return dflt;
    int64_t i = v.toInt();
    if (i < 0)
      i += size;
    return std::min(std::max<int64_t>(i, 0), size);
  };
  start = clampIndex(p[0], 0);
  int64_t stop = clampIndex(p[1], size);
  len = stop > start ? (stop - start + step - 1) / step : 0;
}

/// Basic indexing: ints, slices, None and Ellipsis.
static Tensor indexTensor(const Tensor &x, const PyValue &index) {
  std::vector<PyValue> entries =
      index.kind() == PyValue::Kind::Tuple ? index.items() : std::vector<PyValue>{index};
  int64_t consuming = 0;
  bool sawEllipsis = false;
  for (const PyValue &e : entries) {
    if (e.isTensor())
      throw OpError("indexing with a tensor (advanced indexing) is not supported yet");
    if (e.kind() == PyValue::Kind::Ellipsis) {
      if (sawEllipsis)
        throw OpError("an index can only have a single ellipsis ('...')");
      sawEllipsis = true;
    } else if (!e.isNone()) {
      ++consuming;
    }
  }
  if (consuming > x.dim())
    throw OpError("too many indices for tensor of dimension " + std::to_string(x.dim()));
  Tensor cur = x;
  int64_t dim = 0; // position in `cur`
  for (const PyValue &e : entries) {
    if (e.kind() == PyValue::Kind::Ellipsis) {
      dim += x.dim() - consuming;
    } else if (e.isNone()) {
      Shape s = cur.shape();
      s.insert(s.begin() + dim, 1);
      cur = cur.reshape(s);
      ++dim;
    } else if (e.kind() == PyValue::Kind::Slice) {
      int64_t start, len, step;
      sliceIndices(e, cur.shape()[dim], start, len, step);
      cur = narrow(cur, dim, start, len, step);
      ++dim;
    } else {
      int64_t i = e.toInt(), size = cur.shape()[dim];
      if (i < -size || i >= size)
        throw OpError("index " + std::to_string(i) + " is out of bounds for dimension " +
                      std::to_string(dim) + " with size " + std::to_string(size));
      cur = narrow(cur, dim, i < 0 ? i + size : i, 1);
      Shape s = cur.shape();
      s.erase(s.begin() + dim);
      cur = cur.reshape(s);
    }
  }
  return cur.clone();
}

static PyValue getitem(const PyValue &obj, const PyValue &index) {
  if (obj.isTensor())
    return indexTensor(obj.tensor(), index);
  const std::vector<PyValue> &items = obj.items();
  int64_t n = (int64_t)items.size();
  if (index.kind() == PyValue::Kind::Slice) {
    int64_t start, len, step;
    sliceIndices(index, n, start, len, step);
    std::vector<PyValue> out;
    for (int64_t k = 0; k < len; ++k)
      out.push_back(items[start + k * step]);
    return obj.kind() == PyValue::Kind::List ? PyValue::list(out) : PyValue::tuple(out);
  }
  if (obj.kind() == PyValue::Kind::Dict) {
    for (size_t i = 0; i < obj.keys().size(); ++i)
      if (obj.keys()[i].describe() == index.describe())
        return items[i];
    throw OpError("KeyError: " + index.describe());
  }
  int64_t i = index.toInt();
  if (i < -n || i >= n)
    throw OpError(std::string(obj.kindName()) + " index out of range");
  return items[i < 0 ? i + n : i];
}

/// Tensor.to(...) and friends: a dtype anywhere among the arguments converts.
static PyValue convert(const Tensor &x, const std::vector<PyValue> &args, const PyValue &dtype) {
  DType target = x.dtype();
  for (const PyValue &a : args) {
    if (a.kind() == PyValue::Kind::DType)
      target = a.toDType();
    else if (a.isTensor())
      target = a.tensor().dtype();
    else if (a.kind() == PyValue::Kind::Device || a.kind() == PyValue::Kind::Str) {
      if (a.toStr().rfind("cpu", 0) != 0)
        throw OpError("the interpreter runs on the CPU; cannot move a tensor to '" + a.toStr() + "'");
    }
  }
  if (!dtype.isNone())
    target = dtype.toDType();
  return target == x.dtype() ? PyValue(x) : PyValue(x.to(target));
}

using mlir::Value;
using LC = LoweringContext &;
using LA = const LoweredArgs &;

/// The first argument, reshaped (and converted) to the node's type: flatten, view, reshape,
/// squeeze and unsqueeze all say only what the result's shape is.
static Lowered lowerToResultShape(LC c, LA a) {
  return c.reshape(c.castTensor(a.at(0).tensor(), c.resultElementType()), c.result().getShape());
}

/// The first argument converted to the node's element type (to, float, type_as, ...).
static Lowered lowerToResultType(LC c, LA a) {
  return c.castTensor(a.at(0).tensor(), c.resultElementType());
}

static Lowered lowerPermute(LC c, LA a) {
  Value x = a.at(0).tensor();
  std::vector<int64_t> perm;
  for (int64_t d : a.literal("dims").toIntList())
    perm.push_back(wrapDim(d, rankOf(x)));
  return c.transpose(x, perm);
}

static Lowered lowerTranspose(LC c, LA a) {
  Value x = a.at(0).tensor();
  int64_t rank = rankOf(x);
  std::vector<int64_t> perm;
  for (int64_t d = 0; d < rank; ++d)
    perm.push_back(d);
  if (rank >= 2) {
    int64_t d0 = a.getSchema().params.size() > 1 ? wrapDim(a.toInt("dim0"), rank) : 0;
    int64_t d1 = a.getSchema().params.size() > 1 ? wrapDim(a.toInt("dim1"), rank) : 1;
    std::swap(perm[d0], perm[d1]);
  }
  return c.transpose(x, perm);
}

/// The tensors of a list argument, converted to `element`.
static std::vector<Value> tensorsOf(LC c, const Lowered &list, mlir::Type element) {
  std::vector<Value> out;
  if (!list.isSequence())
    throw OpError("expected a list of tensors, got " + list.describe());
  for (const Lowered &item : list.items()) {
    if (!item.isTensor())
      throw OpError("expected a list of tensors, got an item that is " + item.describe());
    if (rankOf(item.tensor()) == 1 && shapeOf(item.tensor())[0] == 0)
      continue; // torch skips legacy empty tensors
    out.push_back(c.castTensor(item.tensor(), element));
  }
  return out;
}

/// Consecutive slices of `x` along `dim` of the given lengths.
static Lowered slicesAlong(LC c, Value x, int64_t dim, const std::vector<int64_t> &lengths) {
  std::vector<Lowered> parts;
  llvm::SmallVector<int64_t> offsets(rankOf(x), 0), sizes(shapeOf(x)), strides(rankOf(x), 1);
  for (int64_t l : lengths) {
    sizes[dim] = l;
    parts.push_back(c.slice(x, offsets, sizes, strides));
    offsets[dim] += l;
  }
  return Lowered::sequence(parts);
}

static std::vector<int64_t> splitLengths(int64_t total, const PyValue &sizes) {
  if (sizes.isSequence())
    return sizes.toIntList();
  int64_t step = sizes.toInt();
  if (step <= 0)
    throw OpError("split expects split_size be positive");
  std::vector<int64_t> lengths;
  for (int64_t start = 0; start < total; start += step)
    lengths.push_back(std::min(step, total - start));
  return lengths;
}

/// Basic indexing (ints, slices, None, Ellipsis) as one strided slice and a reshape to the
/// node's type.
static Value lowerIndex(LC c, Value x, const PyValue &index) {
  std::vector<PyValue> entries =
      index.kind() == PyValue::Kind::Tuple ? index.items() : std::vector<PyValue>{index};
  int64_t rank = rankOf(x), consuming = 0;
  for (const PyValue &e : entries) {
    if (e.isTensor())
      throw OpError("indexing with a tensor (advanced indexing) cannot be compiled yet");
    if (e.kind() != PyValue::Kind::Ellipsis && !e.isNone())
      ++consuming;
  }
  auto shape = shapeOf(x);
  llvm::SmallVector<int64_t> offsets(rank, 0), sizes(shape), strides(rank, 1);
  int64_t dim = 0;
  for (const PyValue &e : entries) {
    if (e.kind() == PyValue::Kind::Ellipsis) {
      dim += rank - consuming;
    } else if (e.kind() == PyValue::Kind::Slice) {
      int64_t start, len, step;
      sliceIndices(e, shape[dim], start, len, step);
      offsets[dim] = start;
      sizes[dim] = len;
      strides[dim] = step;
      ++dim;
    } else if (!e.isNone()) {
      int64_t i = e.toInt();
      offsets[dim] = i < 0 ? i + shape[dim] : i;
      sizes[dim] = 1;
      ++dim;
    }
  }
  return c.reshape(c.slice(x, offsets, sizes, strides), c.result().getShape());
}

static Lowered lowerGetitem(LC c, LA a) {
  const Lowered &self = a["self"];
  const PyValue &index = a.literal("index");
  if (self.isTensor())
    return lowerIndex(c, self.tensor(), index);
  if (!self.isSequence())
    throw OpError("cannot index " + self.describe());
  int64_t n = (int64_t)self.items().size(), i = index.toInt();
  if (i < -n || i >= n)
    throw OpError("index out of range");
  return self.items()[i < 0 ? i + n : i];
}

static PyValue shapeTuple(Value x) { return sizeTuple(Shape(shapeOf(x).begin(), shapeOf(x).end())); }

void registerShapeOps(Registry &r) {
  using K = const BoundArgs &;
  r.addOp("torch.flatten(Tensor input, int start_dim=0, int end_dim=-1)", {"method:flatten"},
          [](K a) { return PyValue(flatten(a.tensor("input"), a.toInt("start_dim"), a.toInt("end_dim"))); })
      .lowerWith(lowerToResultShape);
  r.addOp("method:view(Tensor self, *int size)", {"method:reshape"}, [](K a) {
    if (a["size"].items().size() == 1 && a["size"].items()[0].kind() == PyValue::Kind::DType)
      throw OpError("view(dtype) is not supported");
    return PyValue(a.tensor("self").reshape(a["size"].toIntList()));
  }).lowerWith(lowerToResultShape);
  r.addOp("torch.reshape(Tensor input, int[] shape)", {}, [](K a) {
    return PyValue(a.tensor("input").reshape(a["shape"].toIntList()));
  }).lowerWith(lowerToResultShape);
  r.addOp("torch.permute(Tensor input, int[] dims)", {}, [](K a) {
    return PyValue(permute(a.tensor("input"), a["dims"].toIntList()));
  }).lowerWith(lowerPermute);
  r.addOp("method:permute(Tensor self, *int dims)", {}, [](K a) {
    return PyValue(permute(a.tensor("self"), a["dims"].toIntList()));
  }).lowerWith(lowerPermute);
  r.addOp("torch.transpose(Tensor input, int dim0, int dim1)", {"method:transpose", "torch.swapaxes"},
          [](K a) {
            const Tensor &x = a.tensor("input");
            std::vector<int64_t> dims;
            for (int64_t d = 0; d < x.dim(); ++d)
              dims.push_back(d);
            std::swap(dims[wrapDim(a.toInt("dim0"), x.dim())], dims[wrapDim(a.toInt("dim1"), x.dim())]);
            return PyValue(permute(x, dims));
          }).lowerWith(lowerTranspose);
  r.addOp("method:t(Tensor self)", {"torch.t"}, [](K a) {
    const Tensor &x = a.tensor("self");
    return x.dim() < 2 ? PyValue(x) : PyValue(permute(x, {1, 0}));
  }).lowerWith(lowerTranspose);
  r.addOp("method:contiguous(Tensor self, *, Any memory_format=torch.contiguous_format)", {},
          [](K a) { return a["self"]; })
      .lowerWith([](LC, LA a) { return a["self"]; });
  r.addOp("torch.cat(Tensor[] tensors, int dim=0)", {"torch.concat", "torch.concatenate"},
          [](K a) { return PyValue(cat(a["tensors"].items(), a.toInt("dim"))); })
      .lowerWith([](LC c, LA a) -> Lowered {
        std::vector<Value> ts = tensorsOf(c, a["tensors"], c.resultElementType());
        if (ts.empty())
          throw OpError("cat: expected a non-empty list of Tensors");
        return c.concat(ts, wrapDim(a.toInt("dim"), rankOf(ts[0])));
      });
  r.addOp("torch.stack(Tensor[] tensors, int dim=0)", {}, [](K a) {
    std::vector<PyValue> expanded;
    for (const PyValue &v : a["tensors"].items()) {
      Shape s = v.tensor().shape();
      s.insert(s.begin() + wrapDim(a.toInt("dim"), (int64_t)s.size() + 1), 1);
      expanded.push_back(v.tensor().reshape(s));
    }
    return PyValue(cat(expanded, a.toInt("dim")));
  }).lowerWith([](LC c, LA a) -> Lowered {
    std::vector<Value> ts;
    for (Value t : tensorsOf(c, a["tensors"], c.resultElementType())) {
      llvm::SmallVector<int64_t> s(shapeOf(t));
      s.insert(s.begin() + wrapDim(a.toInt("dim"), (int64_t)s.size() + 1), 1);
      ts.push_back(c.reshape(t, s));
    }
    return c.concat(ts, wrapDim(a.toInt("dim"), c.result().getRank()));
  });
  r.addOp("torch.split(Tensor tensor, Any split_size_or_sections, int dim=0)",
          {"method:split"},
          [](K a) { return split(a.tensor("tensor"), a["split_size_or_sections"], a.toInt("dim")); })
      .lowerWith([](LC c, LA a) {
        Value x = a.tensor("tensor");
        int64_t dim = wrapDim(a.toInt("dim"), rankOf(x));
        return slicesAlong(c, x, dim, splitLengths(shapeOf(x)[dim], a.literal("split_size_or_sections")));
      });
  r.addOp("torch.chunk(Tensor input, int chunks, int dim=0)", {"method:chunk"}, [](K a) {
    const Tensor &x = a.tensor("input");
    int64_t chunks = a.toInt("chunks"), size = x.size(a.toInt("dim"));
    if (chunks <= 0)
      throw OpError("chunk expects `chunks` to be greater than 0");
    return split(x, PyValue::integer((size + chunks - 1) / chunks), a.toInt("dim"));
  }).lowerWith([](LC c, LA a) {
    Value x = a.tensor("input");
    int64_t dim = wrapDim(a.toInt("dim"), rankOf(x)), size = shapeOf(x)[dim];
    int64_t chunks = a.toInt("chunks");
    if (chunks <= 0)
      throw OpError("chunk expects `chunks` to be greater than 0");
    return slicesAlong(c, x, dim, splitLengths(size, PyValue::integer((size + chunks - 1) / chunks)));
  });
  r.addOp("torch.narrow(Tensor input, int dim, int start, int length)", {"method:narrow"}, [](K a) {
    const Tensor &x = a.tensor("input");
    int64_t dim = wrapDim(a.toInt("dim"), x.dim()), start = a.toInt("start");
    if (start < 0)
      start += x.shape()[dim];
    if (start < 0 || start + a.toInt("length") > x.shape()[dim])
      throw OpError("narrow: start and length exceed the dimension size");
    return PyValue(narrow(x, dim, start, a.toInt("length")));
  }).lowerWith([](LC c, LA a) -> Lowered {
    Value x = a.tensor("input");
    int64_t dim = wrapDim(a.toInt("dim"), rankOf(x)), start = a.toInt("start");
    if (start < 0)
      start += shapeOf(x)[dim];
    llvm::SmallVector<int64_t> offsets(rankOf(x), 0), sizes(shapeOf(x)), strides(rankOf(x), 1);
    offsets[dim] = start;
    sizes[dim] = a.toInt("length");
    return c.slice(x, offsets, sizes, strides);
  });
  r.addOp("operator.getitem(Any self, Any index)", {"method:__getitem__"},
          [](K a) { return getitem(a["self"], a["index"]); })
      .lowerWith(lowerGetitem);
  r.addOp("method:size(Tensor self, int? dim=None)", {}, [](K a) {
    const Tensor &x = a.tensor("self");
    if (a.isNone("dim"))
      return sizeTuple(x.shape());
    return PyValue::integer(x.size(a.toInt("dim")));
  }).lowerWith([](LC, LA a) -> Lowered {
    Value x = a.tensor("self");
    if (a.isNone("dim"))
      return shapeTuple(x);
    return PyValue::integer(shapeOf(x)[wrapDim(a.toInt("dim"), rankOf(x))]);
  });
  r.addOp("method:dim(Tensor self)", {"method:ndimension"},
          [](K a) { return PyValue::integer(a.tensor("self").dim()); })
      .lowerWith([](LC, LA a) -> Lowered { return PyValue::integer(rankOf(a.tensor("self"))); });
  r.addOp("method:numel(Tensor self)", {"torch.numel"},
          [](K a) { return PyValue::integer(a.tensor("self").numel()); })
      .lowerWith([](LC, LA a) -> Lowered {
        return PyValue::integer(
            mlir::cast<mlir::RankedTensorType>(a.tensor("self").getType()).getNumElements());
      });
  r.addOp("builtins.getattr(Any object, str name)", {"getattr"}, [](K a) -> PyValue {
    const std::string &name = a["name"].toStr();
    const Tensor &x = a.tensor("object");
    if (name == "shape")
      return sizeTuple(x.shape());
    if (name == "dtype")
      return PyValue::dtype(x.dtype());
    if (name == "device")
      return PyValue::device("cpu");
    if (name == "ndim")
      return PyValue::integer(x.dim());
    if (name == "is_cuda")
      return PyValue::boolean(false);
    throw OpError("getattr of Tensor attribute '" + name + "' is not supported");
  }).lowerWith([](LC, LA a) -> Lowered {
    const std::string &name = a.literal("name").toStr();
    Value x = a.tensor("object");
    if (name == "shape")
      return shapeTuple(x);
    if (name == "ndim")
      return PyValue::integer(rankOf(x));
    throw OpError("getattr of Tensor attribute '" + name + "' cannot be compiled");
  });
  r.addOp("torch.unsqueeze(Tensor input, int dim)", {"method:unsqueeze"}, [](K a) {
    const Tensor &x = a.tensor("input");
    Shape s = x.shape();
    s.insert(s.begin() + wrapDim(a.toInt("dim"), x.dim() + 1), 1);
    return PyValue(x.reshape(s));
  }).lowerWith(lowerToResultShape);
  r.addOp("torch.squeeze(Tensor input, int? dim=None)", {"method:squeeze"}, [](K a) {
    const Tensor &x = a.tensor("input");
    Shape s;
    int64_t only = a.isNone("dim") ? -1 : wrapDim(a.toInt("dim"), x.dim());
    for (int64_t d = 0; d < x.dim(); ++d)
      if (x.shape()[d] != 1 || (only >= 0 && d != only))
        s.push_back(x.shape()[d]);
    return PyValue(x.reshape(s));
  }).lowerWith(lowerToResultShape);
  r.addOp("method:expand(Tensor self, *int size)", {}, [](K a) {
    const Tensor &x = a.tensor("self");
    std::vector<int64_t> size = a["size"].toIntList();
    size_t offset = size.size() - x.shape().size();
    for (size_t i = 0; i < x.shape().size(); ++i)
      if (size[offset + i] == -1)
        size[offset + i] = x.shape()[i];
    Shape shape(size.begin(), size.end());
    broadcastShapes(x.shape(), shape);
    auto idx = broadcastIndex(x, shape);
    Tensor out(shape, x.dtype());
    for (int64_t i = 0; i < out.numel(); ++i)
      out[i] = x[idx[i]];
    return PyValue(out);
  }).lowerWith([](LC c, LA a) -> Lowered {
    return c.map({a["self"]}, c.result(),
                 [](mlir::OpBuilder &, mlir::Location, mlir::ValueRange x) { return x[0]; });
  });
  r.addOp("method:to(Tensor self, *Any args, ScalarType? dtype=None, Any device=None, "
          "bool non_blocking=False, bool copy=False, Any memory_format=None)",
          {}, [](K a) { return convert(a.tensor("self"), a["args"].items(), a["dtype"]); })
      .lowerWith(lowerToResultType);
  auto castTo = [&](const std::string &method, DType d) {
    r.addOp("method:" + method + "(Tensor self)", {}, [d](K a) {
      return PyValue(a.tensor("self").dtype() == d ? a.tensor("self") : a.tensor("self").to(d));
    }).lowerWith(lowerToResultType);
  };
  castTo("float", DType::F32);
  castTo("double", DType::F64);
  castTo("long", DType::I64);
  castTo("int", DType::I32);
  castTo("bool", DType::Bool);
  castTo("half", DType::F16);
  r.addOp("method:type_as(Tensor self, Tensor other)", {}, [](K a) {
    return PyValue(a.tensor("self").to(a.tensor("other").dtype()));
  }).lowerWith(lowerToResultType);
}

} // namespace fxmlir
