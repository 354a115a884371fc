//===- LoweringContext.cpp - Helpers shared by the lowerings to linalg ----===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

#include <limits>

using namespace mlir;

namespace fxmlir {

std::string Lowered::describe() const {
  if (isTensor())
    return "a tensor";
  if (isSequence())
    return "a sequence holding tensors";
  return std::string(literal().kindName()) + " " + literal().describe();
}

const Lowered &LoweredArgs::operator[](const std::string &name) const {
  int i = schema->find(name);
  if (i < 0)
    throw OpError("internal: " + schema->name + " has no parameter '" + name + "'");
  return values[i];
}

Value LoweredArgs::tensor(const std::string &name) const {
  const Lowered &v = (*this)[name];
  if (!v.isTensor())
    throw OpError("argument '" + name + "' must be a tensor, got " + v.describe());
  return v.tensor();
}

Value LoweredArgs::optionalTensor(const std::string &name) const {
  return isNone(name) ? Value() : tensor(name);
}

const PyValue &LoweredArgs::literal(const std::string &name) const {
  const Lowered &v = (*this)[name];
  if (!v.isLiteral())
    throw OpError("argument '" + name + "' must be known at compile time, got " + v.describe());
  return v.literal();
}

bool LoweredArgs::isNone(const std::string &name) const {
  const Lowered &v = (*this)[name];
  return v.isLiteral() && v.literal().isNone();
}

ArrayRef<int64_t> shapeOf(Value t) { return llvm::cast<RankedTensorType>(t.getType()).getShape(); }
int64_t rankOf(Value t) { return llvm::cast<RankedTensorType>(t.getType()).getRank(); }
Type elementTypeOf(Value t) { return llvm::cast<RankedTensorType>(t.getType()).getElementType(); }
RankedTensorType tensorType(ArrayRef<int64_t> shape, Type element) {
  return RankedTensorType::get(shape, element);
}

Type floatingOf(Type element) {
  return isa<FloatType>(element) ? element : Float32Type::get(element.getContext());
}

double lowestOf(Type element) {
  if (isa<FloatType>(element))
    return -std::numeric_limits<double>::infinity();
  if (isUnsignedElement(element))
    return 0;
  return -std::ldexp(1.0, element.getIntOrFloatBitWidth() - 1);
}

Type computeTypeOf(Type element) {
  if (element.isF16() || element.isBF16())
    return Float32Type::get(element.getContext());
  return element;
}

bool isUnsignedElement(Type element) { return element.isInteger(1) || element.isUnsignedInteger(); }

arith::CmpIPredicate integerPredicate(arith::CmpIPredicate signedPredicate, Type element) {
  if (!isUnsignedElement(element))
    return signedPredicate;
  switch (signedPredicate) {
  case arith::CmpIPredicate::slt: return arith::CmpIPredicate::ult;
  case arith::CmpIPredicate::sle: return arith::CmpIPredicate::ule;
  case arith::CmpIPredicate::sgt: return arith::CmpIPredicate::ugt;
  case arith::CmpIPredicate::sge: return arith::CmpIPredicate::uge;
  default: return signedPredicate;
  }
}

RankedTensorType LoweringContext::result() const {
  if (resultTypes.size() != 1)
    throw OpError("the node has no single statically shaped tensor type (run fx-shape-prop)");
  return resultTypes[0];
}

/// `value` as an integer of `type` (signed, or unsigned for ui8), saturated at its extremes
/// rather than an overflowed cast (a float literal such as 1e30, or -inf, as an int64 fill).
static APInt integerOf(fxmlir::Element value, Type type) {
  unsigned width = type.getIntOrFloatBitWidth();
  bool isUnsigned = type.isUnsignedInteger();
  fxmlir::Element lowest = isUnsigned ? 0 : -std::ldexp((fxmlir::Element)1, width - 1);
  fxmlir::Element highest = lowest + std::ldexp((fxmlir::Element)1, width) - 1;
  if (value >= highest)
    return isUnsigned ? APInt::getMaxValue(width) : APInt::getSignedMaxValue(width);
  if (value <= lowest)
    return isUnsigned ? APInt::getMinValue(width) : APInt::getSignedMinValue(width);
  return isUnsigned ? APInt(width, (uint64_t)value) : APInt(width, (int64_t)value, true);
}

Value LoweringContext::scalar(Type type, fxmlir::Element value) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(f, (double)value));
  if (type.isInteger(1))
    return arith::ConstantOp::create(b, loc, type, b.getBoolAttr(value != 0));
  return arith::ConstantOp::create(
      b, loc, type, b.getIntegerAttr(type, integerOf(value, type)));
}

Value LoweringContext::empty(RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

Value LoweringContext::filled(RankedTensorType type, fxmlir::Element value) {
  Value fill = scalar(type.getElementType(), value);
  return linalg::FillOp::create(b, loc, ValueRange{fill}, ValueRange{empty(type)}).getResult(0);
}

Value LoweringContext::constantTensor(ElementsAttr value, RankedTensorType type) {
  // LLVM has no global of i1 elements: bool constants are stored as bytes and converted.
  if (type.getElementType().isInteger(1)) {
    auto bytes = tensorType(type.getShape(), b.getI8Type());
    ElementsAttr asBytes;
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
      asBytes = DenseResourceElementsAttr::get(bytes, resource.getRawHandle()); // a byte a bool
    } else {
      SmallVector<APInt> v;
      for (bool x : llvm::cast<DenseElementsAttr>(value).getValues<bool>())
        v.push_back(APInt(8, x));
      asBytes = DenseElementsAttr::get(bytes, v);
    }
    return castTensor(constantTensor(asBytes, bytes), type.getElementType());
  }
  auto flatType = tensorType({type.getNumElements()}, type.getElementType());
  TypedAttr flat;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    flat = DenseResourceElementsAttr::get(flatType, resource.getRawHandle());
  else
    flat = llvm::cast<DenseElementsAttr>(value).reshape(flatType);
  Value c = arith::ConstantOp::create(b, loc, flatType, flat);
  if (type.getRank() == 1)
    return c;
  if (type.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, type, c, SmallVector<ReassociationIndices>{});
  ReassociationIndices all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, type, c, SmallVector<ReassociationIndices>{all});
}

Value LoweringContext::constant(RankedTensorType type,
                                const std::vector<fxmlir::Element> &values) {
  Type e = type.getElementType();
  DenseElementsAttr attr;
  if (auto f = dyn_cast<FloatType>(e)) {
    SmallVector<APFloat> v;
    for (fxmlir::Element d : values) {
      APFloat x((double)d);
      bool lost;
      x.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      v.push_back(x);
    }
    attr = DenseElementsAttr::get(type, v);
  } else {
    SmallVector<APInt> v;
    for (fxmlir::Element d : values)
      v.push_back(e.isInteger(1) ? APInt(1, d != 0) : integerOf(d, e));
    attr = DenseElementsAttr::get(type, v);
  }
  return constantTensor(attr, type);
}

Value LoweringContext::cast(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  if (to.isInteger(1)) { // truthiness
    if (fromFloat) {
      Value zero = arith::ConstantOp::create(b, loc, from, b.getFloatAttr(from, 0.0));
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zero);
    }
    Value zero = arith::ConstantOp::create(b, loc, from, b.getIntegerAttr(from, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, zero);
  }
  if (fromFloat && toFloat)
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? arith::ExtFOp::create(b, loc, to, v).getResult()
               : arith::TruncFOp::create(b, loc, to, v).getResult();
  unsigned fromWidth = from.getIntOrFloatBitWidth(), toWidth = to.getIntOrFloatBitWidth();
  if (fromFloat) {
    // As C++ converts on x86: through a 32-bit integer, keeping the low bits (300.0 and -1.0
    // as uint8 are 44 and 255); a direct fptosi to i8 would be poison out of range.
    if (toWidth >= 32)
      return arith::FPToSIOp::create(b, loc, to, v);
    Value wide = arith::FPToSIOp::create(b, loc, b.getI32Type(), v);
    return arith::TruncIOp::create(b, loc, to, wide);
  }
  bool unsignedFrom = isUnsignedElement(from);
  if (toFloat)
    return unsignedFrom ? arith::UIToFPOp::create(b, loc, to, v).getResult()
                        : arith::SIToFPOp::create(b, loc, to, v).getResult();
  if (fromWidth < toWidth)
    return unsignedFrom ? arith::ExtUIOp::create(b, loc, to, v).getResult()
                        : arith::ExtSIOp::create(b, loc, to, v).getResult();
  if (fromWidth == toWidth) // int8 <-> uint8: the same bits (signless once lowered)
    return arith::BitcastOp::create(b, loc, to, v);
  return arith::TruncIOp::create(b, loc, to, v);
}

Value LoweringContext::castTensor(Value v, Type to) {
  if (elementTypeOf(v) == to)
    return v;
  return map({Lowered(v)}, tensorType(shapeOf(v), to),
             [to](OpBuilder &b, Location l, ValueRange x) { return cast(b, l, x[0], to); });
}

Value LoweringContext::map(const std::vector<Lowered> &operands, RankedTensorType resultType,
                           const ScalarBody &body, Type literalType) {
  int64_t rank = resultType.getRank();
  ArrayRef<int64_t> outShape = resultType.getShape();
  if (!literalType)
    literalType = resultType.getElementType();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  // Where each operand's element comes from: an input of the generic or a constant.
  std::vector<int> inputIndex;
  std::vector<fxmlir::Element> literals;
  for (const Lowered &op : operands) {
    if (op.isTensor()) {
      Value t = op.tensor();
      ArrayRef<int64_t> shape = shapeOf(t);
      int64_t r = (int64_t)shape.size();
      if (r > rank)
        throw OpError("internal: operand of rank " + std::to_string(r) +
                      " does not broadcast to rank " + std::to_string(rank));
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < r; ++i) {
        int64_t outDim = rank - r + i;
        if (shape[i] == outShape[outDim])
          exprs.push_back(b.getAffineDimExpr(outDim));
        else if (shape[i] == 1)
          exprs.push_back(b.getAffineConstantExpr(0));
        else
          throw OpError("shapes do not broadcast: dimension of size " + std::to_string(shape[i]) +
                        " against " + std::to_string(outShape[outDim]));
      }
      inputIndex.push_back((int)inputs.size());
      literals.push_back(0);
      inputs.push_back(t);
      maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
    } else if (op.isLiteral() && op.literal().isNumber()) {
      inputIndex.push_back(-1);
      literals.push_back(op.literal().toElement());
    } else {
      throw OpError("expected a tensor or a number, got " + op.describe());
    }
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{empty(resultType)}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        SmallVector<Value> elements;
        for (size_t i = 0; i < operands.size(); ++i) {
          if (inputIndex[i] >= 0) {
            elements.push_back(args[inputIndex[i]]);
          } else {
            LoweringContext inner(nb, l, {});
            elements.push_back(inner.scalar(literalType, literals[i]));
          }
        }
        Value r = cast(nb, l, body(nb, l, elements), resultType.getElementType());
        linalg::YieldOp::create(nb, l, r);
      });
  return generic.getResult(0);
}

Value LoweringContext::reduce(Value input, const std::vector<int64_t> &dims, bool keepdim,
                              ReduceKind kind) {
  ArrayRef<int64_t> shape = shapeOf(input);
  int64_t rank = (int64_t)shape.size();
  Type element = elementTypeOf(input);
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = std::find(dims.begin(), dims.end(), d) != dims.end();
    iterators.push_back(reduced ? utils::IteratorType::reduction : utils::IteratorType::parallel);
    if (!reduced) {
      outShape.push_back(shape[d]);
      outExprs.push_back(b.getAffineDimExpr(d));
    }
  }
  auto outType = tensorType(outShape, element);
  Value init = filled(outType, kind == ReduceKind::Sum ? 0.0 : lowestOf(element));
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank),
                              AffineMap::get(rank, 0, outExprs, b.getContext())};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{outType}, ValueRange{input}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        ElementBuilder e{nb, l, element};
        Value r = kind == ReduceKind::Sum ? e.add(args[0], args[1]) : e.max(args[0], args[1]);
        linalg::YieldOp::create(nb, l, r);
      });
  Value out = generic.getResult(0);
  if (!keepdim)
    return out;
  SmallVector<int64_t> kept(shape.begin(), shape.end());
  for (int64_t d : dims)
    kept[d] = 1;
  return reshape(out, kept);
}

Value LoweringContext::reshape(Value input, ArrayRef<int64_t> shape) {
  auto inType = llvm::cast<RankedTensorType>(input.getType());
  if (inType.getShape() == shape)
    return input;
  auto outType = tensorType(shape, inType.getElementType());
  if (inType.getNumElements() != outType.getNumElements())
    throw OpError("internal: reshape changes the number of elements");
  // Through rank 1: collapse everything, then expand into the new shape.
  auto all = [&](int64_t rank) {
    SmallVector<ReassociationIndices> r;
    if (rank == 0)
      return r;
    ReassociationIndices group;
    for (int64_t i = 0; i < rank; ++i)
      group.push_back(i);
    r.push_back(group);
    return r;
  };
  Value flat = input;
  auto flatType = tensorType({inType.getNumElements()}, inType.getElementType());
  // A 0-d tensor expands to [1] (collapse_shape cannot add a dimension).
  if (inType.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, input,
                                         SmallVector<ReassociationIndices>{});
  else if (inType.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input, all(inType.getRank()));
  if (outType.getRank() == 1)
    return flat;
  if (outType.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, outType, flat,
                                           SmallVector<ReassociationIndices>{});
  return tensor::ExpandShapeOp::create(b, loc, outType, flat, all(outType.getRank()));
}

Value LoweringContext::transpose(Value input, ArrayRef<int64_t> perm) {
  // The identity (and every permutation of a 0-d or 1-d tensor) moves nothing; linalg.transpose
  // of a 0-d tensor would not even lower.
  if (llvm::equal(perm, llvm::seq<int64_t>(0, (int64_t)perm.size())))
    return input;
  ArrayRef<int64_t> shape = shapeOf(input);
  SmallVector<int64_t> outShape;
  for (int64_t p : perm)
    outShape.push_back(shape[p]);
  auto outType = tensorType(outShape, elementTypeOf(input));
  return linalg::TransposeOp::create(b, loc, input, empty(outType), perm).getResult()[0];
}

Value LoweringContext::slice(Value input, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                             ArrayRef<int64_t> strides) {
  if (shapeOf(input) == sizes)
    return input;
  auto outType = tensorType(sizes, elementTypeOf(input));
  return tensor::ExtractSliceOp::create(b, loc, outType, input, ValueRange{}, ValueRange{},
                                        ValueRange{}, b.getDenseI64ArrayAttr(offsets),
                                        b.getDenseI64ArrayAttr(sizes),
                                        b.getDenseI64ArrayAttr(strides));
}

Value LoweringContext::pad(Value input, ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                           double value) {
  bool any = false;
  for (size_t i = 0; i < low.size(); ++i)
    any |= low[i] != 0 || high[i] != 0;
  if (!any)
    return input;
  ArrayRef<int64_t> shape = shapeOf(input);
  SmallVector<int64_t> outShape;
  for (size_t i = 0; i < shape.size(); ++i)
    outShape.push_back(shape[i] + low[i] + high[i]);
  auto outType = tensorType(outShape, elementTypeOf(input));
  Value padValue = scalar(elementTypeOf(input), value);
  return tensor::PadOp::create(b, loc, outType, input, getAsIndexOpFoldResult(b.getContext(), low),
                               getAsIndexOpFoldResult(b.getContext(), high), padValue);
}

Value LoweringContext::concat(const std::vector<Value> &inputs, int64_t dim) {
  if (inputs.size() == 1)
    return inputs[0];
  SmallVector<int64_t> outShape(shapeOf(inputs[0]));
  outShape[dim] = 0;
  for (Value v : inputs)
    outShape[dim] += shapeOf(v)[dim];
  Value out = empty(tensorType(outShape, elementTypeOf(inputs[0])));
  int64_t offset = 0;
  for (Value v : inputs) {
    ArrayRef<int64_t> shape = shapeOf(v);
    SmallVector<int64_t> offsets(shape.size(), 0), strides(shape.size(), 1);
    offsets[dim] = offset;
    offset += shape[dim];
    out = tensor::InsertSliceOp::create(b, loc, v, out, ValueRange{}, ValueRange{}, ValueRange{},
                                        b.getDenseI64ArrayAttr(offsets),
                                        b.getDenseI64ArrayAttr(shape),
                                        b.getDenseI64ArrayAttr(strides));
  }
  return out;
}

Value LoweringContext::alongDim(Value vector, int64_t dim, int64_t rank) {
  SmallVector<int64_t> shape(rank - dim, 1);
  shape[0] = shapeOf(vector)[0];
  return reshape(vector, shape);
}

Value LoweringContext::transposedConstant(Value value) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  Value source = value;
  if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
    source = expand.getSrc();
  auto constant = source.getDefiningOp<arith::ConstantOp>();
  if (!constant || type.getRank() != 2 || !isa<FloatType>(type.getElementType()) ||
      type.getNumElements() == 0)
    return {};
  int64_t rows = type.getShape()[0], cols = type.getShape()[1];
  auto outType = tensorType({cols, rows}, type.getElementType());
  auto flatType = tensorType({rows * cols}, type.getElementType());
  ArrayRef<char> bytes;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    if (dense.isSplat())
      return arith::ConstantOp::create(b, loc, outType, dense.resizeSplat(outType));
    bytes = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue())) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      bytes = blob->getData();
  }
  size_t width = type.getElementTypeBitWidth() / 8;
  if (bytes.size() != (size_t)(rows * cols) * width)
    return {};
  std::vector<char> out(bytes.size());
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      std::memcpy(&out[(j * rows + i) * width], &bytes[(i * cols + j) * width], width);
  return constantTensor(DenseResourceElementsAttr::get(flatType, "transposed",
                                                       HeapAsmResourceBlob::allocateAndCopyInferAlign(
                                                           ArrayRef<char>(out))),
                        outType);
}

Value LoweringContext::matmul(Value a, Value bt, bool transposeB) {
  int64_t m = shapeOf(a)[0], n = shapeOf(bt)[transposeB ? 0 : 1];
  auto outType = tensorType({m, n}, elementTypeOf(a));
  Value init = filled(outType, 0.0);
  if (!transposeB)
    return linalg::MatmulOp::create(b, loc, TypeRange{outType}, ValueRange{a, bt},
                                    ValueRange{init})
        .getResult(0);
  // C[m, n] += A[m, k] * B[n, k]: the weight layout of torch.nn.Linear, read in place.
  MLIRContext *ctx = b.getContext();
  AffineExpr dm = b.getAffineDimExpr(0), dn = b.getAffineDimExpr(1), dk = b.getAffineDimExpr(2);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {dm, dk}, ctx),
                              AffineMap::get(3, 0, {dn, dk}, ctx),
                              AffineMap::get(3, 0, {dm, dn}, ctx)};
  SmallVector<utils::IteratorType> iterators{utils::IteratorType::parallel,
                                             utils::IteratorType::parallel,
                                             utils::IteratorType::reduction};
  bool isFloat = isa<FloatType>(outType.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{outType}, ValueRange{a, bt}, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange x) {
               Value r = isFloat ? arith::AddFOp::create(
                                       nb, l, x[2], arith::MulFOp::create(nb, l, x[0], x[1]))
                                       .getResult()
                                 : arith::AddIOp::create(
                                       nb, l, x[2], arith::MulIOp::create(nb, l, x[0], x[1]))
                                       .getResult();
               linalg::YieldOp::create(nb, l, r);
             })
      .getResult(0);
}

Lowering mapLowering(std::vector<size_t> operands, ElementFn body) {
  return [operands, body](LoweringContext &c, const LoweredArgs &a) -> Lowered {
    std::vector<Lowered> values;
    for (size_t i : operands)
      values.push_back(a.at(i));
    Type t = computeTypeOf(c.resultElementType());
    return c.map(values, c.result(), [&](OpBuilder &b, Location l, ValueRange x) {
      SmallVector<Value> xs;
      for (Value v : x)
        xs.push_back(LoweringContext::cast(b, l, v, t));
      ElementBuilder e{b, l, t};
      return body(e, xs);
    });
  };
}

bool ElementBuilder::isFloat() const { return isa<FloatType>(type); }
bool ElementBuilder::isUnsigned() const { return isUnsignedElement(type); }
Value ElementBuilder::constant(fxmlir::Element v) {
  LoweringContext c(b, loc, {});
  return c.scalar(type, v);
}
/// The float or the integer form of a binary arith op, by the builder's element type.
template <typename FloatOp, typename IntOp>
static Value binaryOp(ElementBuilder &e, Value x, Value y) {
  return e.isFloat() ? FloatOp::create(e.b, e.loc, x, y).getResult()
                     : IntOp::create(e.b, e.loc, x, y).getResult();
}
Value ElementBuilder::add(Value x, Value y) {
  return binaryOp<arith::AddFOp, arith::AddIOp>(*this, x, y);
}
Value ElementBuilder::sub(Value x, Value y) {
  return binaryOp<arith::SubFOp, arith::SubIOp>(*this, x, y);
}
Value ElementBuilder::mul(Value x, Value y) {
  return binaryOp<arith::MulFOp, arith::MulIOp>(*this, x, y);
}
Value ElementBuilder::div(Value x, Value y) {
  return isUnsigned() ? binaryOp<arith::DivFOp, arith::DivUIOp>(*this, x, y)
                      : binaryOp<arith::DivFOp, arith::DivSIOp>(*this, x, y);
}
Value ElementBuilder::max(Value x, Value y) {
  return isUnsigned() ? binaryOp<arith::MaximumFOp, arith::MaxUIOp>(*this, x, y)
                      : binaryOp<arith::MaximumFOp, arith::MaxSIOp>(*this, x, y);
}
Value ElementBuilder::min(Value x, Value y) {
  return isUnsigned() ? binaryOp<arith::MinimumFOp, arith::MinUIOp>(*this, x, y)
                      : binaryOp<arith::MinimumFOp, arith::MinSIOp>(*this, x, y);
}
Value ElementBuilder::neg(Value x) {
  return isFloat() ? arith::NegFOp::create(b, loc, x).getResult() : sub(constant(0), x);
}
Value ElementBuilder::exp(Value x) { return math::ExpOp::create(b, loc, x); }
Value ElementBuilder::log(Value x) { return math::LogOp::create(b, loc, x); }
Value ElementBuilder::sqrt(Value x) { return math::SqrtOp::create(b, loc, x); }
Value ElementBuilder::rsqrt(Value x) { return math::RsqrtOp::create(b, loc, x); }
Value ElementBuilder::tanh(Value x) { return math::TanhOp::create(b, loc, x); }
Value ElementBuilder::erf(Value x) { return math::ErfOp::create(b, loc, x); }
Value ElementBuilder::select(Value c, Value x, Value y) {
  return arith::SelectOp::create(b, loc, c, x, y);
}

} // namespace fxmlir
