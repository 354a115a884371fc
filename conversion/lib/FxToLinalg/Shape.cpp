//===- Shape.cpp - Lowerings of views, concatenation, indexing, sizes -----===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/ShapeRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace fxmlir {

using mlir::Value;
using mlir::ValueRange;

//===----------------------------------------------------------------------===//
// Views and reshapes
//===----------------------------------------------------------------------===//

/// `x` converted to the node's element type and reshaped to `shape`: flatten, view, reshape,
/// squeeze and unsqueeze only differ in the shape.
static Lowered reshapeTo(LoweringContext &c, Value x, const Shape &shape) {
  return c.reshape(c.castTensor(x, c.resultElementType()), shape);
}

static Lowered lowerFlatten(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  return reshapeTo(c, x,
                   flattenedShape(shapeOf(x).vec(), a.toInt("start_dim"), a.toInt("end_dim")));
}

static Lowered lowerView(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("self");
  return reshapeTo(c, x, inferReshape(a.literal("size").toIntList(), numElements(shapeOf(x).vec())));
}

static Lowered lowerReshape(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  return reshapeTo(c, x, inferReshape(a.literal("shape").toIntList(), numElements(shapeOf(x).vec())));
}

static Lowered lowerUnflatten(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor();
  return reshapeTo(c, x, unflattenedShape(shapeOf(x).vec(), a.toInt("dim"),
                                          a.literal("sizes").toIntList()));
}

static Lowered lowerUnsqueeze(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  return reshapeTo(c, x, unsqueezedShape(shapeOf(x).vec(), a.toInt("dim")));
}

static Lowered lowerSqueeze(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  return reshapeTo(c, x, squeezedShape(shapeOf(x).vec(), a.literal("dim")));
}

/// A map that reads its one operand broadcast to the expanded shape.
static Lowered lowerExpand(LoweringContext &c, const LoweredArgs &a) {
  Shape shape = expandedShape(shapeOf(a.tensor("self")).vec(), a.literal("size").toIntList());
  return c.map({a["self"]}, tensorType(shape, c.resultElementType()),
               [](mlir::OpBuilder &, mlir::Location, mlir::ValueRange x) { return x[0]; });
}

static Lowered lowerContiguous(LoweringContext &, const LoweredArgs &a) { return a["self"]; }

//===----------------------------------------------------------------------===//
// Permutations
//===----------------------------------------------------------------------===//

static Lowered lowerPermute(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor(); // `input` or `self`
  return c.transpose(x, permutationDims(a.literal("dims").toIntList(), rankOf(x)));
}

static Lowered lowerTranspose(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  return c.transpose(x, transposedDims(rankOf(x), a.toInt("dim0"), a.toInt("dim1")));
}

static Lowered lowerMatrixTranspose(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("self");
  return c.transpose(x, matrixTransposeDims(rankOf(x)));
}

//===----------------------------------------------------------------------===//
// Joining and splitting
//===----------------------------------------------------------------------===//

/// The tensors of a list argument, converted to `element`.
static std::vector<Value> tensorsOf(LoweringContext &c, const Lowered &list, mlir::Type element) {
  std::vector<Value> out;
  if (!list.isSequence())
    throw OpError("expected a list of tensors, got " + list.describe());
  for (const Lowered &item : list.items()) {
    if (!item.isTensor())
      throw OpError("expected a list of tensors, got an item that is " + item.describe());
    if (isSkippedByCat(shapeOf(item.tensor()).vec()))
      continue;
    out.push_back(c.castTensor(item.tensor(), element));
  }
  return out;
}

/// torch.cat of `tensors` (legacy empty ones already skipped) along `dim`.
static Value concatAlong(LoweringContext &c, const std::vector<Value> &tensors, int64_t dim) {
  std::vector<Shape> shapes;
  for (Value t : tensors)
    shapes.push_back(shapeOf(t).vec());
  return c.concat(tensors, catDim(shapes, dim));
}

static Lowered lowerCat(LoweringContext &c, const LoweredArgs &a) {
  return concatAlong(c, tensorsOf(c, a["tensors"], c.resultElementType()), a.toInt("dim"));
}

static Lowered lowerStack(LoweringContext &c, const LoweredArgs &a) {
  std::vector<Value> expanded;
  for (Value t : tensorsOf(c, a["tensors"], c.resultElementType()))
    expanded.push_back(c.reshape(t, unsqueezedShape(shapeOf(t).vec(), a.toInt("dim"))));
  return concatAlong(c, expanded, a.toInt("dim"));
}

/// Consecutive slices of `x` along `dim` of the given lengths.
static Lowered slicesAlong(LoweringContext &c, Value x, int64_t dim,
                           const std::vector<int64_t> &lengths) {
  std::vector<Lowered> parts;
  llvm::SmallVector<int64_t> offsets(rankOf(x), 0), sizes(shapeOf(x)), strides(rankOf(x), 1);
  for (int64_t l : lengths) {
    sizes[dim] = l;
    parts.push_back(c.slice(x, offsets, sizes, strides));
    offsets[dim] += l;
  }
  return Lowered::sequence(parts);
}

static Lowered lowerSplit(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("tensor");
  int64_t dim = wrapDim(a.toInt("dim"), rankOf(x));
  return slicesAlong(c, x, dim, splitSizes(a.literal("split_size_or_sections"), shapeOf(x)[dim]));
}

/// unbind: slices of one item along the dim, reshaped without it.
static Lowered lowerUnbind(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.at(0).tensor();
  int64_t dim = unbindDim(shapeOf(x).vec(), a.toInt("dim"));
  Shape shape = shapeOf(x).vec();
  shape.erase(shape.begin() + dim);
  Lowered slices = slicesAlong(c, x, dim, std::vector<int64_t>(shapeOf(x)[dim], 1));
  std::vector<Lowered> parts;
  for (const Lowered &part : slices.items())
    parts.push_back(c.reshape(part.tensor(), shape));
  return Lowered::sequence(parts);
}

static Lowered lowerChunk(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  int64_t dim = wrapDim(a.toInt("dim"), rankOf(x));
  return slicesAlong(c, x, dim, chunkSizes(a.toInt("chunks"), shapeOf(x)[dim]));
}

//===----------------------------------------------------------------------===//
// Slicing and indexing
//===----------------------------------------------------------------------===//

static Lowered lowerNarrow(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("input");
  int64_t dim = wrapDim(a.toInt("dim"), rankOf(x)), length = a.toInt("length");
  llvm::SmallVector<int64_t> offsets(rankOf(x), 0), sizes(shapeOf(x)), strides(rankOf(x), 1);
  offsets[dim] = narrowStart(a.toInt("start"), length, shapeOf(x)[dim]);
  sizes[dim] = length;
  return c.slice(x, offsets, sizes, strides);
}

Value basicIndexed(LoweringContext &c, Value x, const PyValue &index) {
  BasicIndex slice = basicIndex(shapeOf(x).vec(), index);
  return c.reshape(c.slice(x, slice.offsets, slice.sizes, slice.strides), slice.shape);
}

static Lowered lowerSelect(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("self");
  return basicIndexed(c, x, indexAlongDim(rankOf(x), a.toInt("dim"), a.literal("index")));
}

static Lowered lowerSlice(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("self");
  PyValue slice = PyValue::slice(a.literal("start"), a.literal("end"), a.literal("step"));
  return basicIndexed(c, x, indexAlongDim(rankOf(x), a.toInt("dim"), slice));
}

/// as_strided of the contiguous input: each element read from the flattened input at
/// offset + sum(i_d * stride_d) (computed in the body: a stride of 0 or a dim read twice is
/// not an indexing map linalg can infer sizes through).
static Lowered lowerAsStrided(LoweringContext &c, const LoweredArgs &a) {
  Value x = a.tensor("self");
  std::vector<int64_t> size = a.literal("size").toIntList(),
                       stride = a.literal("stride").toIntList();
  int64_t offset = a.isNone("storage_offset") ? 0 : a.toInt("storage_offset");
  int64_t numel = numElements(shapeOf(x).vec());
  checkAsStrided(numel, size, stride, offset);
  Value flat = c.reshape(x, {numel});
  int64_t rank = (int64_t)size.size();
  auto outType = tensorType(size, elementTypeOf(x));
  llvm::SmallVector<mlir::utils::IteratorType> iterators(rank,
                                                         mlir::utils::IteratorType::parallel);
  return mlir::linalg::GenericOp::create(
             c.b, c.loc, mlir::TypeRange{outType}, ValueRange{}, ValueRange{c.empty(outType)},
             llvm::SmallVector<mlir::AffineMap>{c.b.getMultiDimIdentityMap(rank)}, iterators,
             [&](mlir::OpBuilder &b, mlir::Location l, ValueRange) {
               Value at = mlir::arith::ConstantIndexOp::create(b, l, offset);
               for (int64_t d = 0; d < rank; ++d) {
                 Value step = mlir::arith::MulIOp::create(
                     b, l, mlir::linalg::IndexOp::create(b, l, d),
                     mlir::arith::ConstantIndexOp::create(b, l, stride[d]));
                 at = mlir::arith::AddIOp::create(b, l, at, step);
               }
               mlir::linalg::YieldOp::create(
                   b, l, mlir::tensor::ExtractOp::create(b, l, flat, ValueRange{at}).getResult());
             })
      .getResult(0);
}

static Lowered lowerGetitem(LoweringContext &c, const LoweredArgs &a) {
  const Lowered &self = a["self"];
  if (self.isTensor() && (!a["index"].isLiteral() || hasTensorEntries(a.literal("index"))))
    return advancedIndexed(c, self.tensor(), a["index"]);
  const PyValue &index = a.literal("index");
  if (self.isTensor())
    return basicIndexed(c, self.tensor(), index);
  if (!self.isSequence())
    throw OpError("cannot index " + self.describe());
  if (index.kind() == PyValue::Kind::Slice) {
    SliceBounds s = sliceBounds(index, (int64_t)self.items().size());
    std::vector<Lowered> items;
    for (int64_t k = 0; k < s.length; ++k)
      items.push_back(self.items()[s.start + k * s.step]);
    return Lowered::sequence(std::move(items));
  }
  std::optional<int64_t> i = normalizedIndex(index.toInt(), (int64_t)self.items().size());
  if (!i)
    throw OpError("index out of range");
  return self.items()[*i];
}

//===----------------------------------------------------------------------===//
// Sizes and attributes: compile-time values of static shapes
//===----------------------------------------------------------------------===//

static Lowered lowerSize(LoweringContext &, const LoweredArgs &a) {
  return sizeOf(shapeOf(a.tensor("self")).vec(), a.literal("dim"));
}

static Lowered lowerDim(LoweringContext &, const LoweredArgs &a) {
  return PyValue::integer(rankOf(a.tensor("self")));
}

static Lowered lowerNumel(LoweringContext &, const LoweredArgs &a) {
  return PyValue::integer(numElements(shapeOf(a.tensor("self")).vec()));
}

static Lowered lowerGetattr(LoweringContext &, const LoweredArgs &a) {
  const std::string &name = a.literal("name").toStr();
  Value x = a.tensor("object");
  if (name == "shape")
    return sizeTuple(shapeOf(x).vec());
  if (name == "ndim")
    return PyValue::integer(rankOf(x));
  throw OpError("getattr of Tensor attribute '" + name + "' cannot be compiled");
}

//===----------------------------------------------------------------------===//
// Dtype conversions
//===----------------------------------------------------------------------===//

/// The first argument converted to the node's element type (to, float, type_as, ...).
static Lowered lowerTo(LoweringContext &c, const LoweredArgs &a) {
  return c.castTensor(a.at(0).tensor(), c.resultElementType());
}

void populateShapeLowerings(LoweringTable &table) {
  table.add("flatten", lowerFlatten);
  table.add("view", lowerView);
  table.add("reshape", lowerReshape);
  table.add("unsqueeze", lowerUnsqueeze);
  table.add("squeeze", lowerSqueeze);
  table.add("expand", lowerExpand);
  table.add("contiguous", lowerContiguous);
  table.add("permute", lowerPermute);
  table.add("transpose", lowerTranspose);
  table.add("t", lowerMatrixTranspose);
  table.add("cat", lowerCat);
  table.add("stack", lowerStack);
  table.add("split", lowerSplit);
  table.add("chunk", lowerChunk);
  table.add("unbind", lowerUnbind);
  table.add("unflatten", lowerUnflatten);
  table.add("narrow", lowerNarrow);
  table.add("getitem", lowerGetitem);
  table.add("select", lowerSelect);
  table.add("slice", lowerSlice);
  table.add("as_strided", lowerAsStrided);
  table.add("size", lowerSize);
  table.add("dim", lowerDim);
  table.add("numel", lowerNumel);
  table.add("getattr", lowerGetattr);
  table.add("to", lowerTo);
}

} // namespace fxmlir
