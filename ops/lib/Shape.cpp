//===- Shape.cpp - Views, concatenation, indexing, sizes ------------------===//
#include "KernelUtils.h"

namespace fxmlir {

using K = const BoundArgs &;

//===----------------------------------------------------------------------===//
// Views and reshapes
//===----------------------------------------------------------------------===//

/// `x` with the shape `sizes` asks for (one -1 inferred).
static PyValue reshaped(const Tensor &x, const PyValue &sizes) {
  return PyValue(x.reshape(viewShape(sizes.toIntList(), x.numel())));
}

static PyValue viewKernel(K a) {
  const PyValue &size = a["size"];
  if (size.items().size() == 1 && size.items()[0].kind() == PyValue::Kind::DType)
    throw OpError("view(dtype) is not supported");
  return reshaped(a.tensor("self"), size);
}

static PyValue flattenKernel(K a) {
  const Tensor &x = a.tensor("input");
  return PyValue(x.reshape(flattenedShape(x.shape(), a.toInt("start_dim"), a.toInt("end_dim"))));
}

static PyValue unsqueezeKernel(K a) {
  const Tensor &x = a.tensor("input");
  return PyValue(x.reshape(unsqueezedShape(x.shape(), a.toInt("dim"))));
}

static PyValue squeezeKernel(K a) {
  const Tensor &x = a.tensor("input");
  return PyValue(x.reshape(squeezedShape(x.shape(), a["dim"])));
}

static PyValue expandKernel(K a) {
  const Tensor &x = a.tensor("self");
  Shape shape = expandedShape(x.shape(), a["size"].toIntList());
  auto idx = broadcastIndex(x, shape);
  Tensor out(shape, x.dtype());
  for (int64_t i = 0; i < out.numel(); ++i)
    out[i] = x[idx[i]];
  return PyValue(out);
}

static void registerViewOps(Registry &r) {
  r.addOp("torch.flatten(Tensor input, int start_dim=0, int end_dim=-1)", {"method:flatten"},
          flattenKernel)
      .lowerWith("flatten");
  r.addOp("method:view(Tensor self, *int size)", {"method:reshape"}, viewKernel)
      .lowerWith("view");
  r.addOp("torch.reshape(Tensor input, int[] shape)", {},
          [](K a) { return reshaped(a.tensor("input"), a["shape"]); })
      .lowerWith("reshape");
  r.addOp("torch.unsqueeze(Tensor input, int dim)", {"method:unsqueeze"}, unsqueezeKernel)
      .lowerWith("unsqueeze");
  r.addOp("torch.squeeze(Tensor input, int? dim=None)", {"method:squeeze"}, squeezeKernel)
      .lowerWith("squeeze");
  r.addOp("method:expand(Tensor self, *int size)", {}, expandKernel).lowerWith("expand");
  r.addOp("method:contiguous(Tensor self, *, Any memory_format=torch.contiguous_format)", {},
          [](K a) { return a["self"]; })
      .lowerWith("contiguous");
}

//===----------------------------------------------------------------------===//
// Permutations
//===----------------------------------------------------------------------===//

/// `x` with its dims reordered: dim i of the result is dim `perm[i]` of `x`.
static Tensor permuted(const Tensor &x, const std::vector<int64_t> &perm) {
  Shape outShape;
  for (int64_t d : perm)
    outShape.push_back(x.shape()[d]);
  Shape inStrides = contiguousStrides(x.shape());
  Tensor out(outShape, x.dtype());
  std::vector<int64_t> counter(perm.size(), 0);
  for (int64_t flat = 0; flat < out.numel(); ++flat) {
    int64_t src = 0;
    for (size_t i = 0; i < perm.size(); ++i)
      src += counter[i] * inStrides[perm[i]];
    out[flat] = x[src];
    for (int64_t i = (int64_t)perm.size() - 1; i >= 0; --i) {
      if (++counter[i] < outShape[i])
        break;
      counter[i] = 0;
    }
  }
  return out;
}

static PyValue permuteKernel(K a) {
  const Tensor &x = a.at(0).tensor(); // `input` or `self`
  return PyValue(permuted(x, permutationDims(a["dims"].toIntList(), x.dim())));
}

static PyValue transposeKernel(K a) {
  const Tensor &x = a.tensor("input");
  return PyValue(permuted(x, transposedDims(x.dim(), a.toInt("dim0"), a.toInt("dim1"))));
}

static PyValue matrixTransposeKernel(K a) {
  const Tensor &x = a.tensor("self");
  return x.dim() < 2 ? PyValue(x) : PyValue(permuted(x, matrixTransposeDims(x.dim())));
}

static void registerPermutationOps(Registry &r) {
  r.addOp("torch.permute(Tensor input, int[] dims)", {}, permuteKernel).lowerWith("permute");
  r.addOp("method:permute(Tensor self, *int dims)", {}, permuteKernel).lowerWith("permute");
  r.addOp("torch.transpose(Tensor input, int dim0, int dim1)",
          {"method:transpose", "torch.swapaxes"}, transposeKernel)
      .lowerWith("transpose");
  r.addOp("method:t(Tensor self)", {"torch.t"}, matrixTransposeKernel).lowerWith("t");
}

//===----------------------------------------------------------------------===//
// Joining and splitting
//===----------------------------------------------------------------------===//

/// `length` items of `x` along `dim`, from `start`, `step` apart.
static Tensor narrow(const Tensor &x, int64_t dim, int64_t start, int64_t length,
                     int64_t step = 1) {
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

static Tensor cat(const std::vector<Tensor> &tensors, int64_t dim0) {
  std::vector<Tensor> ts;
  std::vector<Shape> shapes;
  for (const Tensor &t : tensors) {
    if (isSkippedByCat(t.shape()))
      continue;
    ts.push_back(t);
    shapes.push_back(t.shape());
  }
  int64_t dim = catDim(shapes, dim0);
  Shape shape = ts[0].shape();
  DType dtype = ts[0].dtype();
  shape[dim] = 0;
  for (const Tensor &t : ts) {
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

static PyValue catKernel(K a) {
  std::vector<Tensor> ts;
  for (const PyValue &v : a["tensors"].items())
    ts.push_back(v.tensor());
  return PyValue(cat(ts, a.toInt("dim")));
}

static PyValue stackKernel(K a) {
  std::vector<Tensor> expanded;
  for (const PyValue &v : a["tensors"].items()) {
    const Tensor &t = v.tensor();
    expanded.push_back(t.reshape(unsqueezedShape(t.shape(), a.toInt("dim"))));
  }
  return PyValue(cat(expanded, a.toInt("dim")));
}

/// Consecutive parts of `x` along `dim` of the given lengths.
static PyValue splitAlong(const Tensor &x, int64_t dim, const std::vector<int64_t> &lengths) {
  std::vector<PyValue> parts;
  int64_t start = 0;
  for (int64_t l : lengths) {
    parts.push_back(narrow(x, dim, start, l));
    start += l;
  }
  return PyValue::tuple(parts);
}

static PyValue splitKernel(K a) {
  const Tensor &x = a.tensor("tensor");
  int64_t dim = wrapDim(a.toInt("dim"), x.dim());
  return splitAlong(x, dim, splitSizes(a["split_size_or_sections"], x.shape()[dim]));
}

static PyValue chunkKernel(K a) {
  const Tensor &x = a.tensor("input");
  int64_t dim = wrapDim(a.toInt("dim"), x.dim());
  return splitAlong(x, dim, chunkSizes(a.toInt("chunks"), x.shape()[dim]));
}

static void registerJoinAndSplitOps(Registry &r) {
  r.addOp("torch.cat(Tensor[] tensors, int dim=0)", {"torch.concat", "torch.concatenate"},
          catKernel)
      .lowerWith("cat");
  r.addOp("torch.stack(Tensor[] tensors, int dim=0)", {}, stackKernel).lowerWith("stack");
  r.addOp("torch.split(Tensor tensor, Any split_size_or_sections, int dim=0)",
          {"method:split"}, splitKernel)
      .lowerWith("split");
  r.addOp("torch.chunk(Tensor input, int chunks, int dim=0)", {"method:chunk"}, chunkKernel)
      .lowerWith("chunk");
}

//===----------------------------------------------------------------------===//
// Slicing and indexing
//===----------------------------------------------------------------------===//

static PyValue narrowKernel(K a) {
  const Tensor &x = a.tensor("input");
  int64_t dim = wrapDim(a.toInt("dim"), x.dim()), length = a.toInt("length");
  return PyValue(narrow(x, dim, narrowStart(a.toInt("start"), length, x.shape()[dim]), length));
}

/// Basic indexing: ints, slices, None and Ellipsis.
static Tensor indexTensor(const Tensor &x, const PyValue &index) {
  BasicIndex slice = basicIndex(x.shape(), index);
  Tensor cur = x;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (slice.sizes[d] != x.shape()[d])
      cur = narrow(cur, d, slice.offsets[d], slice.sizes[d], slice.strides[d]);
  return cur.reshape(slice.shape).clone();
}

static PyValue getitem(const PyValue &obj, const PyValue &index) {
  if (obj.isTensor())
    return indexTensor(obj.tensor(), index);
  const std::vector<PyValue> &items = obj.items();
  int64_t n = (int64_t)items.size();
  if (index.kind() == PyValue::Kind::Slice) {
    SliceBounds s = sliceBounds(index, n);
    std::vector<PyValue> out;
    for (int64_t k = 0; k < s.length; ++k)
      out.push_back(items[s.start + k * s.step]);
    return obj.kind() == PyValue::Kind::List ? PyValue::list(out) : PyValue::tuple(out);
  }
  if (obj.kind() == PyValue::Kind::Dict) {
    for (size_t i = 0; i < obj.keys().size(); ++i)
      if (obj.keys()[i].describe() == index.describe())
        return items[i];
    throw OpError("KeyError: " + index.describe());
  }
  std::optional<int64_t> i = normalizedIndex(index.toInt(), n);
  if (!i)
    throw OpError(std::string(obj.kindName()) + " index out of range");
  return items[*i];
}

static void registerIndexingOps(Registry &r) {
  r.addOp("torch.narrow(Tensor input, int dim, int start, int length)", {"method:narrow"},
          narrowKernel)
      .lowerWith("narrow");
  r.addOp("operator.getitem(Any self, Any index)", {"method:__getitem__"},
          [](K a) { return getitem(a["self"], a["index"]); })
      .lowerWith("getitem");
}

//===----------------------------------------------------------------------===//
// Sizes and attributes
//===----------------------------------------------------------------------===//

static PyValue getattrKernel(K a) {
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
}

static void registerSizeOps(Registry &r) {
  r.addOp("method:size(Tensor self, int? dim=None)", {},
          [](K a) { return sizeOf(a.tensor("self").shape(), a["dim"]); })
      .lowerWith("size");
  r.addOp("method:dim(Tensor self)", {"method:ndimension"},
          [](K a) { return PyValue::integer(a.tensor("self").dim()); })
      .lowerWith("dim");
  r.addOp("method:numel(Tensor self)", {"torch.numel"},
          [](K a) { return PyValue::integer(a.tensor("self").numel()); })
      .lowerWith("numel");
  r.addOp("builtins.getattr(Any object, str name)", {"getattr"}, getattrKernel)
      .lowerWith("getattr");
}

//===----------------------------------------------------------------------===//
// Dtype conversions
//===----------------------------------------------------------------------===//

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
        throw OpError("the interpreter runs on the CPU; cannot move a tensor to '" + a.toStr() +
                      "'");
    }
  }
  if (!dtype.isNone())
    target = dtype.toDType();
  return target == x.dtype() ? PyValue(x) : PyValue(x.to(target));
}

/// `Tensor.<method>()` converting to `dtype` (float, long, ...); lowered as `to`.
static void addCast(Registry &r, const std::string &method, DType dtype) {
  r.addOp("method:" + method + "(Tensor self)", {}, [dtype](K a) {
     const Tensor &x = a.tensor("self");
     return PyValue(x.dtype() == dtype ? x : x.to(dtype));
   }).lowerWith("to");
}

static void registerConversionOps(Registry &r) {
  r.addOp("method:to(Tensor self, *Any args, ScalarType? dtype=None, Any device=None, "
          "bool non_blocking=False, bool copy=False, Any memory_format=None)",
          {}, [](K a) { return convert(a.tensor("self"), a["args"].items(), a["dtype"]); })
      .lowerWith("to");
  addCast(r, "float", DType::F32);
  addCast(r, "double", DType::F64);
  addCast(r, "long", DType::I64);
  addCast(r, "int", DType::I32);
  addCast(r, "bool", DType::Bool);
  addCast(r, "half", DType::F16);
  r.addOp("method:type_as(Tensor self, Tensor other)", {},
          [](K a) { return PyValue(a.tensor("self").to(a.tensor("other").dtype())); })
      .lowerWith("to");
}

void registerShapeOps(Registry &r) {
  registerViewOps(r);
  registerPermutationOps(r);
  registerJoinAndSplitOps(r);
  registerIndexingOps(r);
  registerSizeOps(r);
  registerConversionOps(r);
}

} // namespace fxmlir
