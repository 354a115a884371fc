//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
#include "fxmlir/Runtime/Npy.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fxmlir {

namespace {
struct NpyType {
  DType dtype;
  const char *descr;
  int size;
};
const NpyType kTypes[] = {{DType::Bool, "|b1", 1}, {DType::U8, "|u1", 1},  {DType::I8, "|i1", 1},
                          {DType::I16, "<i2", 2},  {DType::I32, "<i4", 4}, {DType::I64, "<i8", 8},
                          {DType::F16, "<f2", 2},  {DType::F32, "<f4", 4}, {DType::F64, "<f8", 8}};

double halfToDouble(uint16_t h) {
  int sign = h >> 15, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  double v = exp == 0 ? std::ldexp(mant, -24)
             : exp == 31 ? (mant ? NAN : INFINITY)
                         : std::ldexp(mant + 1024, exp - 25);
  return sign ? -v : v;
}

uint16_t doubleToHalf(double d) {
  float f = (float)d;
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  int exp = (int)((x >> 23) & 0xFF) - 127 + 15;
  uint32_t mant = x & 0x7FFFFF;
  if (((x >> 23) & 0xFF) == 0xFF)
    return sign | 0x7C00 | (mant ? 0x200 : 0);
  if (exp >= 31)
    return sign | 0x7C00;
  if (exp <= 0) {
    if (exp < -10)
      return sign;
    mant |= 0x800000;
    return sign | (uint16_t)((mant >> (14 - exp)) + ((mant >> (13 - exp)) & 1));
  }
  return sign | (uint16_t)((exp << 10) | (mant >> 13)) + ((mant >> 12) & 1);
}
} // namespace

Tensor readNpy(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw OpError("cannot open '" + path + "'");
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    throw OpError("'" + path + "' is not a .npy file");
  uint32_t headerLen = 0;
  unsigned char lenBytes[4] = {0, 0, 0, 0};
  if (magic[6] == 1) {
    in.read((char *)lenBytes, 2);
    headerLen = lenBytes[0] | (lenBytes[1] << 8);
  } else {
    in.read((char *)lenBytes, 4);
    headerLen = lenBytes[0] | (lenBytes[1] << 8) | (lenBytes[2] << 16) | (lenBytes[3] << 24);
  }
  std::string header(headerLen, '\0');
  if (!in.read(header.data(), headerLen))
    throw OpError("'" + path + "': truncated header");
  auto field = [&](const std::string &key) {
    size_t p = header.find("'" + key + "'");
    if (p == std::string::npos)
      throw OpError("'" + path + "': header has no '" + key + "'");
    return header.substr(header.find(':', p) + 1);
  };
  std::string descr = field("descr");
  descr = descr.substr(descr.find('\'') + 1);
  descr = descr.substr(0, descr.find('\''));
  if (field("fortran_order").find("True") < field("fortran_order").find(','))
    throw OpError("'" + path + "': Fortran-ordered arrays are not supported");
  std::string shapeText = field("shape");
  shapeText = shapeText.substr(shapeText.find('(') + 1, shapeText.find(')') - shapeText.find('(') - 1);
  Shape shape;
  std::stringstream ss(shapeText);
  std::string tok;
  while (std::getline(ss, tok, ','))
    if (tok.find_first_not_of(" ") != std::string::npos)
      shape.push_back(std::stoll(tok));
  const NpyType *type = nullptr;
  for (const NpyType &t : kTypes)
    if (descr == t.descr || (descr[0] == '=' && descr.substr(1) == std::string(t.descr).substr(1)))
      type = &t;
  if (!type)
    throw OpError("'" + path + "': unsupported dtype '" + descr + "'");
  int64_t n = numElements(shape);
  std::vector<char> raw(n * type->size);
  if (!in.read(raw.data(), raw.size()))
    throw OpError("'" + path + "': truncated data (" + std::to_string(n) + " elements expected)");
  std::vector<double> data(n);
  for (int64_t i = 0; i < n; ++i) {
    const char *p = raw.data() + i * type->size;
    switch (type->dtype) {
    case DType::Bool: data[i] = *p != 0; break;
    case DType::U8: data[i] = (uint8_t)*p; break;
    case DType::I8: data[i] = (int8_t)*p; break;
    case DType::I16: { int16_t v; std::memcpy(&v, p, 2); data[i] = v; break; }
    case DType::I32: { int32_t v; std::memcpy(&v, p, 4); data[i] = v; break; }
    case DType::I64: { int64_t v; std::memcpy(&v, p, 8); data[i] = (double)v; break; }
    case DType::F16: { uint16_t v; std::memcpy(&v, p, 2); data[i] = halfToDouble(v); break; }
    case DType::F32: { float v; std::memcpy(&v, p, 4); data[i] = v; break; }
    case DType::F64: { double v; std::memcpy(&v, p, 8); data[i] = v; break; }
    default: break;
    }
  }
  return Tensor(shape, type->dtype, std::move(data));
}

void writeNpy(const std::string &path, const Tensor &t) {
  const NpyType *type = nullptr;
  for (const NpyType &k : kTypes)
    if (k.dtype == t.dtype())
      type = &k;
  DType dtype = t.dtype();
  if (!type) { // bfloat16 has no NumPy type: write float32
    type = &kTypes[7];
    dtype = DType::F32;
  }
  std::ostringstream header;
  header << "{'descr': '" << type->descr << "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < t.shape().size(); ++i)
    header << t.shape()[i] << (t.shape().size() == 1 || i + 1 < t.shape().size() ? ", " : "");
  header << "), }";
  std::string h = header.str();
  size_t total = 10 + h.size() + 1;
  h.append((64 - total % 64) % 64, ' ');
  h.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out)
    throw OpError("cannot write '" + path + "'");
  out.write("\x93NUMPY\x01\x00", 8);
  uint16_t len = (uint16_t)h.size();
  char lenBytes[2] = {(char)(len & 0xFF), (char)(len >> 8)};
  out.write(lenBytes, 2);
  out.write(h.data(), h.size());
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = t[i];
    char buf[8];
    switch (dtype) {
    case DType::Bool: case DType::U8: buf[0] = (char)(uint8_t)v; break;
    case DType::I8: buf[0] = (char)(int8_t)v; break;
    case DType::I16: { int16_t x = (int16_t)v; std::memcpy(buf, &x, 2); break; }
    case DType::I32: { int32_t x = (int32_t)v; std::memcpy(buf, &x, 4); break; }
    case DType::I64: { int64_t x = (int64_t)v; std::memcpy(buf, &x, 8); break; }
    case DType::F16: { uint16_t x = doubleToHalf(v); std::memcpy(buf, &x, 2); break; }
    case DType::F32: { float x = (float)v; std::memcpy(buf, &x, 4); break; }
    default: std::memcpy(buf, &v, 8); break;
    }
    out.write(buf, type->size);
  }
}

} // namespace fxmlir
