//===- Values.cpp - Runtime values <-> IR ---------------------------------===//
#include "fxmlir/Bridge/Values.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace mlir::fx;
using fxmlir::DType;
using fxmlir::OpError;
using fxmlir::PyValue;
using fxmlir::Tensor;

bool mlir::fx::dtypeFromElementType(Type t, DType &d) {
  if (t.isF32()) d = DType::F32;
  else if (t.isF64()) d = DType::F64;
  else if (t.isF16()) d = DType::F16;
  else if (t.isBF16()) d = DType::BF16;
  else if (t.isInteger(1)) d = DType::Bool;
  else if (t.isUnsignedInteger(8)) d = DType::U8;
  else if (t.isSignlessInteger(8) || t.isSignedInteger(8)) d = DType::I8;
  else if (t.isSignlessInteger(16) || t.isSignedInteger(16)) d = DType::I16;
  else if (t.isSignlessInteger(32) || t.isSignedInteger(32)) d = DType::I32;
  else if (t.isSignlessInteger(64) || t.isSignedInteger(64)) d = DType::I64;
  else return false;
  return true;
}

/// Decodes one little-endian element of `dtype` at `p`.
static fxmlir::Element decodeElement(const char *p, DType dtype) {
  auto load = [&](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (dtype) {
  case DType::F32: return load(float());
  case DType::F64: return load(double());
  case DType::I64: return load(int64_t());
  case DType::I32: return load(int32_t());
  case DType::I16: return load(int16_t());
  case DType::I8: return load(int8_t());
  case DType::U8: return load(uint8_t());
  case DType::Bool: return load(uint8_t()) != 0;
  case DType::BF16: {
    uint32_t bits = (uint32_t)load(uint16_t()) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  case DType::F16: return APFloat(APFloat::IEEEhalf(), APInt(16, load(uint16_t()))).convertToFloat();
  }
  return 0;
}

FailureOr<Tensor> mlir::fx::tensorFromDeclaration(Operation *decl) {
  auto type = cast<TensorType>(decl->getAttrOfType<TypeAttr>("type").getValue());
  auto value = decl->getAttrOfType<ElementsAttr>("value");
  StringRef name = SymbolTable::getSymbolName(decl).getValue();
  if (!value)
    return decl->emitError("'") << name << "' is declared without a value; the interpreter needs "
                                   "its data (import with weights)";
  DType dtype;
  if (!type.hasStaticShape() || !dtypeFromElementType(type.getElementType(), dtype))
    return decl->emitError("'") << name << "' has type " << type
                                << ", which the interpreter does not support";
  fxmlir::Shape shape(type.getShape().begin(), type.getShape().end());
  int64_t n = fxmlir::numElements(shape);
  std::vector<fxmlir::Element> data(n);
  if (auto res = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob)
      return decl->emitError("'") << name << "' refers to resource '"
                                  << res.getRawHandle().getKey() << "', which holds no data";
    ArrayRef<char> bytes = blob->getData();
    size_t width = type.getElementType().isInteger(1) ? 1 : (type.getElementTypeBitWidth() + 7) / 8;
    if (bytes.size() != (size_t)n * width)
      return decl->emitError("'") << name << "' has " << bytes.size() << " bytes of data, expected "
                                  << n * width;
    for (int64_t i = 0; i < n; ++i)
      data[i] = decodeElement(bytes.data() + i * width, dtype);
  } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (type.getElementType().isInteger(1)) {
      int64_t i = 0;
      for (bool v : dense.getValues<bool>())
        data[i++] = v;
    } else {
      // Packed little-endian elements; a splat stores one.
      ArrayRef<char> bytes = dense.getRawData();
      size_t width = type.getElementTypeBitWidth() / 8;
      for (int64_t i = 0; i < n; ++i)
        data[i] = decodeElement(bytes.data() + (dense.isSplat() ? 0 : i * width), dtype);
    }
  } else {
    return decl->emitError("'") << name << "' has a value the interpreter cannot read";
  }
  return Tensor(shape, dtype, std::move(data));
}

PyValue mlir::fx::scalarLiteral(Attribute attr) {
  if (auto b = dyn_cast<BoolAttr>(attr))
    return PyValue::boolean(b.getValue());
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return PyValue::integer(i.getValue().getSExtValue());
  if (auto f = dyn_cast<FloatAttr>(attr))
    return PyValue::floating(f.getValueAsDouble());
  if (auto s = dyn_cast<StringAttr>(attr))
    return PyValue::str(s.str());
  if (isa<NoneAttr>(attr))
    return PyValue::none();
  if (isa<EllipsisAttr>(attr))
    return PyValue::ellipsis();
  if (auto d = dyn_cast<DTypeAttr>(attr)) {
    DType dtype;
    if (!fxmlir::parseDType(d.getName().str(), dtype))
      throw OpError("dtype torch." + d.getName().str() + " is not supported by the interpreter");
    return PyValue::dtype(dtype);
  }
  if (auto d = dyn_cast<DeviceAttr>(attr))
    return PyValue::device(d.getSpec().str());
  if (auto q = dyn_cast<QualNameAttr>(attr))
    return PyValue::object(q.getName().str());
  throw OpError("unsupported literal in the IR");
}

namespace {
/// Containers of Python values, for decodeLiteral.
struct PyValueContainers {
  PyValue tuple(std::vector<PyValue> items) const { return PyValue::tuple(std::move(items)); }
  PyValue list(std::vector<PyValue> items) const { return PyValue::list(std::move(items)); }
  PyValue slice(std::vector<PyValue> parts) const {
    return PyValue::slice(parts[0], parts[1], parts[2]);
  }
  PyValue dict(std::vector<PyValue> keys, std::vector<PyValue> values) const {
    return PyValue::dict(keys, values);
  }
};
} // namespace

PyValue mlir::fx::literalToPyValue(Attribute attr, ArrayRef<PyValue> operands, unsigned &next) {
  return decodeLiteral(attr, operands, next, PyValueContainers());
}

Attribute mlir::fx::pyValueToLiteral(MLIRContext *ctx, const PyValue &v) {
  Builder b(ctx);
  auto all = [&](const std::vector<PyValue> &items) -> ArrayAttr {
    SmallVector<Attribute> attrs;
    for (const PyValue &item : items) {
      Attribute a = pyValueToLiteral(ctx, item);
      if (!a)
        return {};
      attrs.push_back(a);
    }
    return b.getArrayAttr(attrs);
  };
  switch (v.kind()) {
  case PyValue::Kind::None: return NoneAttr::get(ctx);
  case PyValue::Kind::Bool: return b.getBoolAttr(v.toBool());
  case PyValue::Kind::Int: return b.getI64IntegerAttr(v.toInt());
  case PyValue::Kind::Float: return b.getF64FloatAttr(v.toDouble());
  case PyValue::Kind::Str: return b.getStringAttr(v.toStr());
  case PyValue::Kind::DType: return DTypeAttr::get(ctx, v.toStr());
  case PyValue::Kind::Device: return DeviceAttr::get(ctx, v.toStr());
  case PyValue::Kind::Object: return QualNameAttr::get(ctx, v.toStr());
  case PyValue::Kind::Ellipsis: return EllipsisAttr::get(ctx);
  case PyValue::Kind::List: return all(v.items());
  case PyValue::Kind::Tuple: {
    ArrayAttr items = all(v.items());
    return items ? TupleAttr::get(ctx, items) : Attribute();
  }
  case PyValue::Kind::Slice: {
    ArrayAttr parts = all(v.items());
    return parts ? SliceAttr::get(ctx, parts[0], parts[1], parts[2]) : Attribute();
  }
  case PyValue::Kind::Dict: {
    ArrayAttr keys = all(v.keys()), values = all(v.items());
    return keys && values ? DictAttr::get(ctx, keys, values) : Attribute();
  }
  case PyValue::Kind::Tensor: return {};
  }
  return {};
}

Type mlir::fx::elementTypeOf(MLIRContext *ctx, DType d) {
  Builder b(ctx);
  switch (d) {
  case DType::Bool: return b.getI1Type();
  case DType::U8: return b.getIntegerType(8, /*isSigned=*/false);
  case DType::I8: return b.getIntegerType(8);
  case DType::I16: return b.getIntegerType(16);
  case DType::I32: return b.getI32Type();
  case DType::I64: return b.getI64Type();
  case DType::F16: return b.getF16Type();
  case DType::BF16: return b.getBF16Type();
  case DType::F32: return b.getF32Type();
  case DType::F64: return b.getF64Type();
  }
  return {};
}

Type mlir::fx::typeOfPyValue(MLIRContext *ctx, const PyValue &v) {
  switch (v.kind()) {
  case PyValue::Kind::Tensor:
    return RankedTensorType::get(v.tensor().shape(), elementTypeOf(ctx, v.tensor().dtype()));
  case PyValue::Kind::Bool: return BoolType::get(ctx);
  case PyValue::Kind::Int: return IntType::get(ctx);
  case PyValue::Kind::Float: return FloatType::get(ctx);
  case PyValue::Kind::None: return NoneType::get(ctx);
  case PyValue::Kind::Str: return StrType::get(ctx);
  case PyValue::Kind::DType: return DTypeType::get(ctx);
  case PyValue::Kind::Device: return DeviceType::get(ctx);
  case PyValue::Kind::Tuple: {
    SmallVector<Type> types;
    for (const PyValue &item : v.items())
      types.push_back(typeOfPyValue(ctx, item));
    return TupleType::get(ctx, types);
  }
  case PyValue::Kind::List: {
    Type element;
    for (const PyValue &item : v.items()) {
      Type t = typeOfPyValue(ctx, item);
      element = !element || element == t ? t : AnyType::get(ctx);
    }
    return ListType::get(ctx, element ? element : AnyType::get(ctx));
  }
  default: return AnyType::get(ctx);
  }
}

ElementsAttr mlir::fx::tensorToElementsAttr(MLIRContext *ctx, const Tensor &t, StringRef key) {
  auto type = RankedTensorType::get(t.shape(), elementTypeOf(ctx, t.dtype()));
  size_t width = t.dtype() == DType::Bool ? 1 : (type.getElementTypeBitWidth() + 7) / 8;
  // One spare byte: the blob copies from bytes.data(), which may not be null (empty tensors).
  std::vector<char> bytes(t.numel() * width + 1);
  for (int64_t i = 0; i < t.numel(); ++i) {
    char *p = bytes.data() + i * width;
    fxmlir::Element v = t[i];
    auto store = [&](auto x) { std::memcpy(p, &x, sizeof(x)); };
    switch (t.dtype()) {
    case DType::F32: store((float)v); break;
    case DType::F64: store((double)v); break;
    case DType::I64: store((int64_t)v); break;
    case DType::I32: store((int32_t)v); break;
    case DType::I16: store((int16_t)v); break;
    case DType::I8: store((int8_t)v); break;
    case DType::U8: case DType::Bool: store((uint8_t)v); break;
    case DType::F16: case DType::BF16: {
      APFloat f((double)v);
      bool lost;
      f.convert(t.dtype() == DType::F16 ? APFloat::IEEEhalf() : APFloat::BFloat(),
                APFloat::rmNearestTiesToEven, &lost);
      store((uint16_t)f.bitcastToAPInt().getZExtValue());
      break;
    }
    }
  }
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
      ArrayRef<char>(bytes.data(), bytes.size() - 1));
  return DenseResourceElementsAttr::get(type, key, std::move(blob));
}

CallArguments mlir::fx::callArguments(NodeOpInterface node, ArrayRef<PyValue> operands) {
  return decodeNodeArguments(node, operands, PyValueContainers());
}

fxmlir::BoundArgs mlir::fx::bindHyperparameters(SubmoduleOp module,
                                                const fxmlir::ModuleInfo &info) {
  std::vector<std::pair<std::string, PyValue>> kwargs;
  DictAttr hp = module.getHyperparameters();
  for (auto [k, v] : llvm::zip(hp.getKeys(), hp.getValues())) {
    unsigned next = 0;
    kwargs.emplace_back(cast<StringAttr>(k).str(), literalToPyValue(v, {}, next));
  }
  return fxmlir::bindArguments(info.constructor, {}, kwargs);
}
