//===- Shape.cpp - Views, concatenation, indexing, sizes ------------------===//
#include "KernelUtils.h"

namespace fxmlir {

using K = const BoundArgs &;

//===----------------------------------------------------------------------===//
// Views and reshapes
//===----------------------------------------------------------------------===//

/// `x` with the shape `sizes` asks for (one -1 inferred).
static PyValue reshaped(const Tensor &x, const PyValue &sizes) {
  return PyValue(x.reshape(sizes.toIntList()));
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

static PyValue unflattenKernel(K a) {
  const Tensor &x = a.at(0).tensor();
  return PyValue(x.reshape(unflattenedShape(x.shape(), a.toInt("dim"), a["sizes"].toIntList())));
}

static void registerViewOps(Registry &r) {
  r.addOp("torch.flatten(Tensor input, int start_dim=0, int end_dim=-1)",
          {"method:flatten", "torch.ops.aten.flatten", "torch.ops.aten.flatten.using_ints"},
          flattenKernel)
      .lowerWith("flatten")
      .withSamples({"T(2, 3, 4)", "T(2, 3, 4, 2), 1", "T(2, 3, 4, 2), start_dim=1, end_dim=-2",
                    "T(3, 4, dtype='i64'), -2, -1", "T()"});
  r.addOp("method:view(Tensor self, *int size)", {"method:reshape"}, viewKernel)
      .lowerWith("view")
      .withSamples({"T(2, 3, 4), 6, 4", "T(2, 3, 4), -1", "T(2, 3, 4), (4, -1, 2)",
                    "T(2, 6, dtype='i32'), [3, 1, 4]", "T(), 1, 1"});
  r.addOp("torch.reshape(Tensor input, int[] shape)",
          {"torch.ops.aten.reshape", "torch.ops.aten.reshape.default", "torch.ops.aten.view",
           "torch.ops.aten.view.default", "torch.ops.aten._unsafe_view",
           "torch.ops.aten._unsafe_view.default"},
          [](K a) { return reshaped(a.tensor("input"), a["shape"]); })
      .lowerWith("reshape")
      .withSamples({"T(2, 3, 4), (6, 4)", "T(2, 3, 4), [-1]", "T(2, 6), shape=(3, -1, 2)",
                    "T(1, 1, dtype='i64'), ()", "T(), (1, 1)"});
  r.addOp("torch.unflatten(Tensor input, int dim, int[] sizes)",
          {"method:unflatten", "torch.ops.aten.unflatten", "torch.ops.aten.unflatten.int"},
          unflattenKernel)
      .lowerWith("unflatten")
      .withSamples({"T(2, 12), 1, (3, 4)", "T(6, 5, dtype='f64'), -2, [2, -1, 1]",
                    "T(4, dtype='i64'), dim=0, sizes=(2, 2)"});
  r.addOp("torch.unsqueeze(Tensor input, int dim)",
          {"method:unsqueeze", "torch.ops.aten.unsqueeze", "torch.ops.aten.unsqueeze.default"},
          unsqueezeKernel)
      .lowerWith("unsqueeze")
      .withSamples({"T(2, 3), 0", "T(2, 3), -1", "T(2, 3, dtype='i64'), dim=1", "T(), 0"});
  r.addOp("torch.squeeze(Tensor input, int? dim=None)",
          {"method:squeeze", "torch.ops.aten.squeeze", "torch.ops.aten.squeeze.default",
           "torch.ops.aten.squeeze.dim"},
          squeezeKernel)
      .lowerWith("squeeze")
      .withSamples({"T(2, 1, 3, 1)", "T(2, 1, 3), 1", "T(2, 1, 3, 1, dtype='i64'), dim=-1",
                    "T(2, 3), 0", "T(1, 1)", "<torch.ops.aten.squeeze.dim> T(2, 1, 3), 1"});
  r.addOp("method:expand(Tensor self, *int size)",
          {"torch.ops.aten.expand", "torch.ops.aten.expand.default"}, expandKernel)
      .lowerWith("expand")
      .withSamples({"<torch.ops.aten.expand.default> T(3, 1), [2, 3, 4]",
                    "<torch.ops.aten.expand> T(1, 3), [2, -1]", "T(3, 1), 3, 4", "T(3), (2, 3)",
                    "T(2, 1, 1, dtype='i64'), 2, -1, 4", "T(1, 3), 2, -1, -1", "T(), 2, 3"});
  r.addOp("method:contiguous(Tensor self, *, Any memory_format=torch.contiguous_format)",
          {"method:detach", "torch.detach", "torch.ops.aten.contiguous",
           "torch.ops.aten.contiguous.default", "torch.ops.aten.detach",
           "torch.ops.aten.detach.default", "torch.ops.aten.alias", "torch.ops.aten.alias.default",
           "torch.ops.aten.lift_fresh_copy", "torch.ops.aten.lift_fresh_copy.default"},
          [](K a) { return a["self"]; })
      .lowerWith("contiguous")
      .withSamples(
          {"T(2, 3)", "T(2, 3, dtype='i64'), memory_format=torch.contiguous_format", "T()"});
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
  r.addOp("torch.permute(Tensor input, int[] dims)",
          {"torch.ops.aten.permute", "torch.ops.aten.permute.default"}, permuteKernel)
      .lowerWith("permute")
      .withSamples({"T(2, 3, 4), (2, 0, 1)", "T(2, 3, 4), dims=[-1, 0, -2]",
                    "T(2, 3, dtype='i64'), (1, 0)", "T(), ()"});
  r.addOp("method:permute(Tensor self, *int dims)", {}, permuteKernel)
      .lowerWith("permute")
      .withSamples({"T(2, 3, 4), 2, 0, 1", "T(2, 3, 4), (1, -1, 0)",
                    "T(2, 3, 2, 1, dtype='i32'), [3, 1, 0, 2]"});
  r.addOp("torch.transpose(Tensor input, int dim0, int dim1)",
          {"method:transpose", "torch.swapaxes", "torch.ops.aten.transpose",
           "torch.ops.aten.transpose.int", "torch.ops.aten.swapaxes",
           "torch.ops.aten.swapaxes.default"},
          transposeKernel)
      .lowerWith("transpose")
      .withSamples({"T(2, 3, 4), 0, -1", "T(2, 3), dim0=1, dim1=0",
                    "T(2, 3, 4, dtype='i64'), -2, -1", "T(4), 0, 0"});
  r.addOp("method:t(Tensor self)", {"torch.t", "torch.ops.aten.t", "torch.ops.aten.t.default"},
          matrixTransposeKernel)
      .lowerWith("t")
      .withSamples({"T(2, 3)", "T(4)", "T()", "T(3, 2, dtype='i64')"});
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

/// unbind: the slices along `dim`, that dim dropped.
static PyValue unbindKernel(K a) {
  const Tensor &x = a.at(0).tensor(); // `input` or `self`
  int64_t dim = unbindDim(x.shape(), a.toInt("dim"));
  Shape shape = x.shape();
  shape.erase(shape.begin() + dim);
  PyValue slices = splitAlong(x, dim, std::vector<int64_t>(x.shape()[dim], 1));
  std::vector<PyValue> parts;
  for (const PyValue &part : slices.items())
    parts.push_back(part.tensor().reshape(shape));
  return PyValue::tuple(parts);
}

static void registerJoinAndSplitOps(Registry &r) {
  r.addOp("torch.cat(Tensor[] tensors, int dim=0)",
          {"torch.concat", "torch.concatenate", "torch.ops.aten.cat", "torch.ops.aten.cat.default",
           "torch.ops.aten.concat", "torch.ops.aten.concat.default"},
          catKernel)
      .lowerWith("cat")
      .withSamples({"[T(2, 3), T(4, 3)]", "(T(2, 3), T(2, 1), T(2, 2)), dim=-1",
                    "[T(2, 3, dtype='i64'), T(2, 3, dtype='i32')], 1",
                    "[T(2, 3), T(0), T(1, 3, dtype='f64')]", "[T(2, 0), T(2, 3)], 1"});
  r.addOp("torch.stack(Tensor[] tensors, int dim=0)",
          {"torch.ops.aten.stack", "torch.ops.aten.stack.default"}, stackKernel)
      .lowerWith("stack")
      .withSamples({"[T(2, 3), T(2, 3)]", "(T(2, 3), T(2, 3), T(2, 3)), dim=-1",
                    "[T(3, dtype='i64'), T(3, dtype='i64')], 1", "[T(), T()]"});
  // torch.fx records torch.split under the module that defines it, torch.functional.
  r.addOp("torch.split(Tensor tensor, Any split_size_or_sections, int dim=0)",
          {"torch.functional.split", "method:split", "torch.ops.aten.split",
           "torch.ops.aten.split.Tensor", "torch.ops.aten.split_with_sizes",
           "torch.ops.aten.split_with_sizes.default"},
          splitKernel)
      .lowerWith("split")
      .withSamples({"<torch.ops.aten.split_with_sizes.default> T(5, 4), [1, 3, 1]",
                    "<torch.ops.aten.split_with_sizes> T(2, 6), [2, 4], 1", "T(5, 4), 2",
                    "T(5, 4), [1, 3], dim=1", "T(2, 6, dtype='i64'), 3, -1", "T(4, 3), (1, 0, 3)"});
  r.addOp("torch.unbind(Tensor input, int dim=0)",
          {"method:unbind"}, unbindKernel)
      .lowerWith("unbind")
      .withSamples({"T(3, 4)", "T(2, 3, 4, dtype='f64'), -1", "T(2, 5, dtype='i64'), dim=1",
                    "T(0, 3)"});
  // aten's unbind returns a list.
  r.addOp("torch.ops.aten.unbind.int(Tensor self, int dim=0)", {"torch.ops.aten.unbind"},
          [](K a) { return PyValue::list(unbindKernel(a).items()); })
      .lowerWith("unbind")
      .withSamples({"T(3, 4)", "T(2, 3, 4, dtype='f64'), -2"});
  r.addOp("torch.chunk(Tensor input, int chunks, int dim=0)",
          {"method:chunk", "torch.ops.aten.chunk", "torch.ops.aten.chunk.default"}, chunkKernel)
      .lowerWith("chunk")
      .withSamples(
          {"T(6, 4), 3", "T(4, 5), 3, dim=-1", "T(2, 7, dtype='i64'), 4, 1", "T(2, 3), 5"});
}

//===----------------------------------------------------------------------===//
// Slicing and indexing
//===----------------------------------------------------------------------===//

static PyValue narrowKernel(K a) {
  const Tensor &x = a.tensor("input");
  int64_t dim = wrapDim(a.toInt("dim"), x.dim()), length = a.toInt("length");
  return PyValue(narrow(x, dim, narrowStart(a.toInt("start"), length, x.shape()[dim]), length));
}

/// Indexing: ints, slices, None and Ellipsis (one strided slice), then tensor entries.
static Tensor indexTensor(const Tensor &x, const PyValue &index) {
  if (hasTensorEntries(index)) {
    TensorIndexing split = splitTensorIndex(x.shape(), index);
    return indexByTensors(indexTensor(x, split.basic), split.entries);
  }
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

static PyValue asStridedKernel(K a) {
  const Tensor &x = a.tensor("self");
  std::vector<int64_t> size = a["size"].toIntList(), stride = a["stride"].toIntList();
  int64_t offset = a.isNone("storage_offset") ? 0 : a.toInt("storage_offset");
  checkAsStrided(x.numel(), size, stride, offset);
  Tensor out(size, x.dtype());
  Shape pos(size.size(), 0);
  for (int64_t i = 0; i < out.numel(); ++i) {
    int64_t at = offset;
    for (size_t d = 0; d < size.size(); ++d)
      at += pos[d] * stride[d];
    out[i] = x[at];
    for (int64_t d = (int64_t)size.size() - 1; d >= 0 && ++pos[d] == size[d]; --d)
      pos[d] = 0;
  }
  return PyValue(out);
}

/// aten's select and slice: getitem with the entry at `dim`.
static PyValue selectKernel(K a) {
  const Tensor &x = a.tensor("self");
  return PyValue(indexTensor(x, indexAlongDim(x.dim(), a.toInt("dim"), a["index"])));
}

static PyValue sliceKernel(K a) {
  const Tensor &x = a.tensor("self");
  PyValue slice = PyValue::slice(a["start"], a["end"], a["step"]);
  return PyValue(indexTensor(x, indexAlongDim(x.dim(), a.toInt("dim"), slice)));
}

static void registerBasicIndexingOps(Registry &r) {
  r.addOp("torch.select(Tensor self, int dim, int index)",
          concat({"method:select"}, atenSpellings("select", {"int"})), selectKernel)
      .lowerWith("select")
      .withSamples({"T(3, 4), 0, 1", "T(2, 3, 4, dtype='i64'), -1, -2", "T(5), 0, 4"});
  r.addOp("torch.ops.aten.slice.Tensor(Tensor self, int dim=0, int? start=None, int? end=None, "
          "int step=1)",
          {"torch.ops.aten.slice"}, sliceKernel)
      .lowerWith("slice")
      .withSamples({"T(4, 5), 0, 1, 3", "T(4, 5, dtype='i64'), 1, 0, 9223372036854775807, 2",
                    "T(3, 6), -1, -4, None", "T(2, 3), dim=0, start=None, end=-1"});
  r.addOp("torch.as_strided(Tensor self, int[] size, int[] stride, int? storage_offset=None)",
          concat({"method:as_strided"}, atenSpellings("as_strided")), asStridedKernel)
      .lowerWith("as_strided")
      .withSamples({"T(4, 5), (3, 3), (5, 1)", "T(12, dtype='i64'), [2, 2, 3], [6, 1, 2]",
                    "T(3, 4), (2, 2), (1, 4), storage_offset=2", "T(6), (3, 2), (0, 1)"});
  r.addOp("torch.narrow(Tensor input, int dim, int start, int length)",
          {"method:narrow", "torch.ops.aten.narrow", "torch.ops.aten.narrow.default"}, narrowKernel)
      .lowerWith("narrow")
      .withSamples({"T(4, 5), 0, 1, 2", "T(4, 5), -1, 2, 3", "T(4, 5, dtype='i64'), 1, -3, 2",
                    "T(3, 4), dim=1, start=0, length=0"});
  r.addOp("operator.getitem(Any self, Any index)", {"method:__getitem__"},
          [](K a) { return getitem(a["self"], a["index"]); })
      .lowerWith("getitem")
      .withSamples({"T(4, 5), 1", "T(4, 5), (slice(1, 3), None)", "T(4, 5), -1",
                    "T(2, 3, 4), (..., slice(None, None, 2))",
                    "T(4, 5, dtype='i64'), (slice(-3, None), 2)",
                    "T(2, 3, 4), (None, 1, ..., slice(None, -1), None)",
                    "(T(2), T(3), T(4)), -2", "[T(2), T(3), T(4)], slice(1, None)",
                    "T(4, 5), T(3, dtype='i64', high=4)",
                    "T(3, 4, 5), (slice(None), [0, 3, -1])",
                    "T(3, 4, 5, dtype='i64'), (0, slice(None), T(2, 2, dtype='i64', high=5))",
                    "T(3, 4, 5), (T(2, dtype='i64', high=3), slice(1, 3), T(2, dtype='i64', high=5))",
                    "T(3, 4), T(3, 4, dtype='bool')",
                    "T(2, 3, 4), (None, ..., T(4, dtype='bool'))"});
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
      .lowerWith("size")
      .withSamples({"T(2, 3)", "T(2, 3, 4), -1", "T(2, 3), dim=0", "T()"});
  r.addOp("method:dim(Tensor self)", {"method:ndimension"},
          [](K a) { return PyValue::integer(a.tensor("self").dim()); })
      .lowerWith("dim")
      .withSamples({"T(2, 3, 4)", "T()", "T(5, dtype='i64')"});
  r.addOp("method:numel(Tensor self)", {"torch.numel"},
          [](K a) { return PyValue::integer(a.tensor("self").numel()); })
      .lowerWith("numel")
      .withSamples({"T(2, 3, 4)", "T()", "T(0, 3)", "T(5, dtype='i64')"});
  r.addOp("builtins.getattr(Any object, str name)", {"getattr"}, getattrKernel)
      .lowerWith("getattr")
      .withSamples({"T(2, 3), 'shape'", "T(2, 3, 4), 'ndim'", "T(2, 3, dtype='i64'), 'dtype'",
                    "T(2, 3), 'device'", "T(2), 'is_cuda'"});
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
static void addCast(Registry &r, const std::string &method, DType dtype,
                    std::vector<std::string> samples) {
  r.addOp("method:" + method + "(Tensor self)", {}, [dtype](K a) {
     const Tensor &x = a.tensor("self");
     return PyValue(x.dtype() == dtype ? x : x.to(dtype));
   })
      .lowerWith("to")
      .withSamples(std::move(samples));
}

static void registerConversionOps(Registry &r) {
  r.addOp("method:to(Tensor self, *Any args, ScalarType? dtype=None, Any device=None, "
          "bool non_blocking=False, bool copy=False, Any memory_format=None)",
          {}, [](K a) { return convert(a.tensor("self"), a["args"].items(), a["dtype"]); })
      .lowerWith("to")
      .withSamples({"T(2, 3), torch.float64", "T(2, 3, low=-5, high=5), dtype=torch.int64",
                    "T(2, 3, dtype='i64'), T(1, dtype='f64')",
                    "T(2, 3, dtype='i32'), 'cpu', torch.float32", "T(2, 3), copy=True",
                    "T(2, 3, dtype='ui8', high=256), torch.float32",
                    "T(2, 3, low=0, high=255), torch.uint8",
                    "T(2, 3, dtype='ui8', high=256), torch.int64"});
  addCast(r, "float", DType::F32, {"T(2, 3, dtype='i64')", "T(2, 3, dtype='f64')", "T(2, 3)"});
  addCast(r, "double", DType::F64, {"T(2, 3)", "T(2, 3, dtype='i32')", "T(2, dtype='bool')"});
  addCast(r, "long", DType::I64,
          {"T(2, 3, low=-5, high=5)", "T(2, 3, dtype='bool')", "T(2, 3, dtype='i64')"});
  addCast(r, "int", DType::I32, {"T(2, 3, low=-5, high=5)", "T(2, 3, dtype='i64')"});
  addCast(r, "bool", DType::Bool,
          {"T(2, 3, dtype='i64', low=0, high=3)", "T(2, 3)", "T(2, 3, dtype='bool')"});
  addCast(r, "half", DType::F16, {"T(2, 3)", "T(2, 3, dtype='i64')"});
  // What decompositions write for `to`: a copy in `dtype` (on the CPU; layouts are dense).
  r.addOp("torch.ops.aten._to_copy.default(Tensor self, *, ScalarType? dtype=None, "
          "Any layout=None, Any device=None, bool? pin_memory=None, bool non_blocking=False, "
          "Any memory_format=None)",
          {"torch.ops.aten._to_copy", "torch._to_copy"},
          [](K a) {
            return convert(a.tensor("self"), {a["device"]}, a["dtype"]);
          })
      .lowerWith("to")
      .withSamples({"T(2, 3), dtype=torch.float64", "T(2, 3, low=-5, high=5)",
                    "T(2, 3, dtype='i64'), dtype=torch.float32, device='cpu'"});
  r.addOp("method:type_as(Tensor self, Tensor other)", {},
          [](K a) { return PyValue(a.tensor("self").to(a.tensor("other").dtype())); })
      .lowerWith("to")
      .withSamples({"T(2, 3), T(1, dtype='i64')", "T(2, 3, dtype='i32'), T(2, dtype='f64')",
                    "T(2, 3, dtype='bool'), T(2, 3)"});
}

/// clone: tensors here are values, so a copy is the tensor itself (lowered as contiguous). The
/// parameter is named `self`, as aten and the method name it, for the shared lowering.
static void registerCloneOp(Registry &r) {
  r.addOp("torch.clone(Tensor self, *, Any memory_format=None)",
          {"method:clone", "torch.ops.aten.clone", "torch.ops.aten.clone.default"},
          [](K a) { return a["self"]; })
      .lowerWith("contiguous")
      .withSamples(
          {"T(2, 3)", "T(2, 3, dtype='i64'), memory_format=torch.contiguous_format", "T()"});
}

void registerShapeOps(Registry &r) {
  registerViewOps(r);
  registerPermutationOps(r);
  registerJoinAndSplitOps(r);
  registerBasicIndexingOps(r);
  registerSizeOps(r);
  registerConversionOps(r);
  registerCloneOp(r);
}

} // namespace fxmlir
